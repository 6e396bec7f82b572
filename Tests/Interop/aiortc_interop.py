"""Interop scenarios: aiortc clients against a running Parley, through signaling protocol v1.

    python3 aiortc_interop.py --http http://127.0.0.1:7880 --secret S --admin-key K \
        --recordings DIR SCENARIO...

Scenarios: forwarded, mixed, recording, bad-input (default: all). Exit 0 when every check
passed; each failed check prints what was expected and what was seen.
"""

import argparse
import asyncio
import glob
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy
import websockets

from parley_peer import Peer, ProtocolError, SAMPLE_RATE, mint_token, tone_power

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


class Admin:
    def __init__(self, base, key):
        self.base = base
        self.key = key

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.key}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, (json.loads(text) if text else None)

    def participants(self, room):
        status, body = self.call("GET", f"/v1/rooms/{room}/participants")
        return [] if status != 200 else body["participants"]


def strongest(peer, frequencies, seconds=2.0):
    """For each receiving mid: {frequency: share of power}."""
    return {mid: {f: tone_power(samples, f) for f in frequencies} for mid, samples in peer.heard(seconds).items()}


def hears(peer, frequency, frequencies, seconds=2.0, threshold=0.3):
    return any(shares[frequency] >= threshold for shares in strongest(peer, frequencies, seconds).values())


def hears_own(peer, frequencies, seconds=2.0, threshold=0.05):
    return any(shares[peer.frequency] >= threshold for shares in strongest(peer, frequencies, seconds).values())


async def wait_until(predicate, timeout, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


async def scenario_forwarded(args, admin):
    room = "forwarded"
    freqs = [440, 660, 880]
    a = Peer(args.ws, mint_token(args.secret, room, "alice"), 440, "Alice")
    b = Peer(args.ws, mint_token(args.secret, room, "bob"), 660, "Bob")
    started = time.monotonic()
    await a.join()
    await b.join()
    ok = await wait_until(lambda: hears(a, 660, freqs, 1.0) and hears(b, 440, freqs, 1.0), 15)
    print(f"     two peers hear each other after {time.monotonic() - started:.2f} s", flush=True)
    first = b.first_packet_seconds()
    check(first is not None, "forwarded: Bob received a first RTP packet from Alice")
    if first is not None:
        # Join time: Bob has his token and opens the WebSocket -> Alice's first forwarded packet.
        stages = {k: f"{v * 1000:.0f} ms" for k, v in b.timeline.items()}
        print(f"     join time (token -> first forwarded packet): {first * 1000:.0f} ms; stages {stages}", flush=True)
    await asyncio.sleep(2.5)
    check(ok and hears(a, 660, freqs), f"forwarded: Alice hears Bob's 660 Hz ({strongest(a, freqs)})")
    check(hears(b, 440, freqs), f"forwarded: Bob hears Alice's 440 Hz ({strongest(b, freqs)})")
    check(not hears_own(a, freqs) and not hears_own(b, freqs), "forwarded: nobody hears themselves")

    c = Peer(args.ws, mint_token(args.secret, room, "carol"), 880, "Carol")
    await c.join()
    ok = await wait_until(
        lambda: hears(c, 440, freqs, 1.0) and hears(c, 660, freqs, 1.0) and hears(a, 880, freqs, 1.0), 15
    )
    await asyncio.sleep(2.5)
    check(ok and hears(c, 440, freqs) and hears(c, 660, freqs), f"late joiner: Carol hears both ({strongest(c, freqs)})")
    check(hears(a, 880, freqs) and hears(b, 880, freqs), "renegotiation: Alice and Bob hear Carol")
    check(a.answers >= 2 and b.answers >= 2, f"renegotiation: re-offers answered (Alice {a.answers}, Bob {b.answers})")
    participants = admin.participants(room)
    check(len(participants) == 3, f"admin API lists 3 participants ({len(participants)})")
    for peer in (a, b, c):
        await peer.close()
    emptied = await wait_until(lambda: len(admin.participants(room)) == 0, 10)
    check(emptied, "leaving empties the room")


async def scenario_mixed(args, admin, record=False):
    room = "mixed-rec" if record else "mixed"
    status, _ = admin.call("POST", "/v1/rooms", {"name": room, "audioMode": "mixed", "speakers": 3})
    check(status == 201, f"admin API creates mixed room {room} (HTTP {status})")
    freqs = [440, 660]
    a = Peer(args.ws, mint_token(args.secret, room, "alice", grants=("join", "publish", "subscribe")), 440, "Alice")
    b = Peer(args.ws, mint_token(args.secret, room, "bob", grants=("join", "publish", "subscribe")), 660, "Bob")
    await a.join()
    await b.join()
    check(a.room.get("audioMode") == "mixed", "mixed: joined reports audioMode mixed")
    ok = await wait_until(lambda: hears(a, 660, freqs, 1.0) and hears(b, 440, freqs, 1.0), 15)
    recording_file = None
    if record:
        status, body = admin.call("POST", f"/v1/rooms/{room}/recording")
        check(status == 201, f"recording: started (HTTP {status}, {body})")
        recording_file = (body or {}).get("file")
        await asyncio.sleep(4)
        status, _ = admin.call("DELETE", f"/v1/rooms/{room}/recording")
        check(status == 204, f"recording: stopped (HTTP {status})")
    else:
        await asyncio.sleep(2.5)
    check(ok and hears(a, 660, freqs), f"mixed: Alice hears Bob in the mix ({strongest(a, freqs)})")
    check(hears(b, 440, freqs), f"mixed: Bob hears Alice in the mix ({strongest(b, freqs)})")
    check(not hears_own(a, freqs) and not hears_own(b, freqs), "mixed: mix-minus, nobody hears themselves")
    for peer in (a, b):
        await peer.close()
    if record:
        await asyncio.sleep(1)
        check_recording(args, admin, room, recording_file, freqs)


def check_recording(args, admin, room, name, freqs):
    status, body = admin.call("GET", "/v1/recordings")
    listed = [r for r in (body or {}).get("recordings", []) if r.get("room") == room]
    check(status == 200 and len(listed) >= 1, f"recording: listed by the admin API ({listed})")
    paths = glob.glob(os.path.join(args.recordings, "*.opus")) + glob.glob(os.path.join(args.recordings, "*.ogg"))
    paths = [p for p in paths if room in os.path.basename(p)]
    check(len(paths) >= 1, f"recording: a file for {room} in {args.recordings} ({paths})")
    if not paths:
        return
    path = max(paths, key=os.path.getmtime)
    info = subprocess.run(["opusinfo", path], capture_output=True, text=True, timeout=30)
    check(info.returncode == 0 and "WARNING" not in info.stdout + info.stderr, f"recording: opusinfo accepts {path}")
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, timeout=60,
    )
    samples = numpy.frombuffer(decoded.stdout, dtype=numpy.int16).astype(numpy.float64) / 32768
    seconds = len(samples) / SAMPLE_RATE
    check(decoded.returncode == 0 and 3.0 <= seconds <= 6.0, f"recording: ffmpeg decodes {seconds:.2f} s")
    middle = samples[int(len(samples) * 0.25): int(len(samples) * 0.75)]
    shares = {f: tone_power(middle, f) for f in freqs}
    check(all(share >= 0.15 for share in shares.values()), f"recording: holds both participants' tones ({shares})")


async def expect_error(ws, message, code, timeout=10):
    await ws.send(message if isinstance(message, str) else json.dumps(message))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if reply.get("type") == "error":
            return reply.get("code") == code, reply
    return False, None


async def scenario_bad_input(args, admin):
    room = "bad-input"
    good = Peer(args.ws, mint_token(args.secret, room, "alice"), 440, "Alice")
    await good.join()
    await asyncio.sleep(0.5)
    baseline = admin.participants(room)

    # A malformed offer and an offer without BUNDLE: an error, the room unchanged.
    async with websockets.connect(args.ws) as ws:
        await ws.send(json.dumps({"type": "join", "token": mint_token(args.secret, room, "mallory")}))
        joined = json.loads(await asyncio.wait_for(ws.recv(), 10))
        check(joined.get("type") == "joined", "bad input: a second participant joins")
        ok, reply = await expect_error(ws, {"type": "offer", "sdp": "v=0\r\nthis is not SDP\r\n"}, "bad_offer")
        check(ok, f"malformed offer -> bad_offer ({reply})")
        unbundled = "\r\n".join(
            line for line in good.pc.localDescription.sdp.split("\r\n") if not line.startswith("a=group:BUNDLE")
        )
        ok, reply = await expect_error(ws, {"type": "offer", "sdp": unbundled}, "unsupported_offer")
        check(ok, f"offer without BUNDLE -> unsupported_offer ({reply})")
        ok, reply = await expect_error(ws, "{not json", "bad_request")
        check(ok or reply is None, f"malformed JSON -> bad_request or close ({reply})")
    after = admin.participants(room)
    check([p["id"] for p in after] == [p["id"] for p in baseline], "bad input: the room is unchanged after the errors")

    async def rejected(token, code, close_code):
        async with websockets.connect(args.ws) as ws:
            ok, reply = await expect_error(ws, {"type": "join", "token": token}, code)
            try:
                await asyncio.wait_for(ws.recv(), 5)
            except websockets.ConnectionClosed as closed:
                return ok, reply, closed.rcvd.code if closed.rcvd else None
            except asyncio.TimeoutError:
                return ok, reply, None
            return ok, reply, None

    ok, reply, close = await rejected(mint_token("another secret", room, "eve"), "invalid_token", 1008)
    check(ok and close == 1008, f"bad token -> invalid_token, close 1008 ({reply}, {close})")
    ok, reply, close = await rejected(mint_token(args.secret, room, "eve", ttl=-60), "token_expired", 1008)
    check(ok and close == 1008, f"expired token -> token_expired, close 1008 ({reply}, {close})")

    async with websockets.connect(args.ws, max_size=None) as ws:
        closed_code = None
        try:
            await ws.send(json.dumps({"type": "join", "token": "x" * (2 * 1024 * 1024)}))
            await asyncio.wait_for(ws.recv(), 10)
        except websockets.ConnectionClosed as closed:
            closed_code = closed.rcvd.code if closed.rcvd else None
        check(closed_code == 1009, f"oversized frame -> close 1009 ({closed_code})")
    after = admin.participants(room)
    check([p["id"] for p in after] == [p["id"] for p in baseline], "bad input: the room is unchanged after the rejections")
    await good.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", default="http://127.0.0.1:7880")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--recordings", default="recordings")
    parser.add_argument("scenarios", nargs="*", default=["forwarded", "mixed", "recording", "bad-input"])
    args = parser.parse_args()
    args.ws = args.http.replace("http://", "ws://").replace("https://", "wss://") + "/v1/rtc"
    admin = Admin(args.http, args.admin_key)
    for name in args.scenarios:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            if name == "forwarded":
                await asyncio.wait_for(scenario_forwarded(args, admin), 90)
            elif name == "mixed":
                await asyncio.wait_for(scenario_mixed(args, admin), 60)
            elif name == "recording":
                await asyncio.wait_for(scenario_mixed(args, admin, record=True), 90)
            elif name == "bad-input":
                await asyncio.wait_for(scenario_bad_input(args, admin), 60)
            else:
                check(False, f"unknown scenario {name}")
        except (Exception, asyncio.TimeoutError) as error:  # a scenario that breaks is a failure, with its reason
            check(False, f"{name}: {type(error).__name__}: {error}")
        print(f"   ({time.monotonic() - started:.1f} s)", flush=True)
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        sys.exit(1)
    print("all interop checks passed", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
