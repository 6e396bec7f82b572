#!/usr/bin/env python3
"""Chromium and aiortc in one forwarded room, through Parley's signaling protocol v1.

    python3 chromium_aiortc.py --url http://127.0.0.1:7880 --secret S --artifacts DIR

A headless Chromium opens the bundled meeting page (`?test=1`, fake camera, fake microphone
playing a 550 Hz WAV) and joins a room; then an aiortc peer (parley_peer.Peer, a 440 Hz sine,
receiving audio and video) joins the same room. Checks:

  - Chromium's getStats(): inbound audio mapped to the aiortc participant, packets still arriving,
    audioLevel above silence, and the tile plays 440 Hz (AnalyserNode on the received track);
  - aiortc: decoded audio from Chromium with energy and 550 Hz as its main frequency;
  - aiortc: video frames from Chromium's fake camera decoded (count and dimensions);
  - join time: from the moment the aiortc client has its token and opens the WebSocket to the
    first RTP packet it receives from Chromium (stamped in aiortc's receiver, before jitter
    buffer and decoder). Printed and written to DIR/join-time.json with the stages on the way.

Every wait is bounded; the Chromium is killed by its process group at the end. Exit 0 when every
check passed. Needs aiortc 1.16.0 / aioice 0.13.0 / websockets and chromium (Tools/bootstrap.sh).
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import traceback
import urllib.parse

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "page"))

from page_test import Browser, CheckFailed, wait_for, write_tone  # noqa: E402
from parley_peer import Peer, SAMPLE_RATE, mint_token, tone_power  # noqa: E402

CHROMIUM_TONE = 550
AIORTC_TONE = 440
SOUND = 0.02  # getStats audioLevel (linear 0...1) above silence; the tones are about 0.3-0.5
MIN_VIDEO_FRAMES = 30

failures = []
results = {}


def log(*parts):
    print("[%s]" % time.strftime("%H:%M:%S"), *parts, flush=True)


def check(condition, what):
    log(("ok   " if condition else "FAIL ") + what)
    results.setdefault("checks", []).append({"ok": bool(condition), "what": what})
    if not condition:
        failures.append(what)


async def poll(predicate, timeout, step=0.25):
    """Awaits an async predicate until it returns something truthy, for at most `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await predicate()
        if last:
            return last
        await asyncio.sleep(step)
    return last


async def chromium_hears(page, participant_id, timeout):
    """Inbound audio on Chromium mapped to `participant_id`, still arriving and above silence."""
    seen = {}

    async def audible():
        stats = await page.eval("window.parleyTest.stats()")
        for e in stats["inbound"]:
            if e["kind"] != "audio" or e["participantId"] != participant_id:
                continue
            key = (e["mid"], e["ssrc"])
            fresh = key in seen and e["packetsReceived"] > seen[key]
            seen[key] = e["packetsReceived"]
            if fresh and (e.get("audioLevel") or 0) > SOUND:
                return e
        return None

    return await poll(audible, timeout)


async def chromium_frequency(page, participant_id, expected, timeout):
    async def measured():
        got = await page.eval("window.parleyTest.frequency(%s, 500)" % json.dumps(participant_id))
        if got and abs(got["frequency"] - expected) <= max(15, expected * 0.03):
            return got
        measured.last = got
        return None

    measured.last = None
    return (await poll(measured, timeout)) or measured.last


def aiortc_audio(peer, seconds=2.0):
    """(rms, share of power at Chromium's tone) of the best receiving audio m-line."""
    best = (0.0, 0.0)
    for samples in peer.heard(seconds).values():
        if len(samples) < SAMPLE_RATE // 2:
            continue
        rms = float(numpy.sqrt(numpy.mean(samples**2)))
        share = tone_power(samples, CHROMIUM_TONE)
        if share > best[1]:
            best = (rms, share)
    return best


def aiortc_video(peer):
    frames = [v for v in peer.video.values() if v["frames"] > 0]
    return max(frames, key=lambda v: v["frames"]) if frames else None


async def scenario(args, workdir):
    room = "chromium-aiortc-%d" % int(time.time())
    tone = os.path.join(workdir, "chromium-%d.wav" % CHROMIUM_TONE)
    write_tone(tone, CHROMIUM_TONE)
    browser = Browser(args, "chromium", tone, workdir, frequency=CHROMIUM_TONE)
    peer = None
    try:
        await browser.start()
        chromium_token = mint_token(args.secret, room, "chromium-user", name="Chromium",
                                    grants=("join", "publish", "subscribe", "create"))
        page = await browser.open(args.url.rstrip("/") + "/?test=1&token=" + urllib.parse.quote(chromium_token))
        await page.eval("window.parleyTest.join(%s, 'Chromium', {camera: true})" % json.dumps(room))
        await wait_for(page, "window.parleyTest.state().me !== null || window.parleyTest.state().notice",
                       args.timeout, "Chromium joined or an error")
        me = (await page.eval("window.parleyTest.state()"))["me"]
        check(me is not None, "Chromium joined the room through the meeting page")
        if me is None:
            return
        # Chromium publishes before aiortc arrives, so aiortc's first packet times the whole path.
        await wait_for(page, "window.parleyTest.stats().then(s => s.outbound.some(o => o.kind === 'video' "
                             "&& o.packetsSent > 0) && s.outbound.some(o => o.kind === 'audio' && o.packetsSent > 0))",
                       args.timeout, "Chromium sending audio and video")

        token = mint_token(args.secret, room, "aiortc-user", grants=("join", "publish", "subscribe"))
        peer = Peer(args.ws, token, AIORTC_TONE, "aiortc", receive_video=True)
        joined = await peer.join()
        kinds = sorted(t["kind"] for t in joined.get("tracks", []) if t["participantId"] == me["id"])
        check(kinds == ["audio", "video"], f"aiortc's joined lists Chromium's audio and video tracks ({kinds})")

        async def first_packet():
            return peer.first_packet_seconds()

        first = await poll(first_packet, args.timeout, step=0.01)
        check(first is not None, "aiortc receives a first RTP packet from Chromium")
        if first is not None:
            timeline = dict(peer.timeline, first_rtp_packet=first)
            results["join_time"] = {
                "seconds": round(first, 4),
                "from": "aiortc has its token and opens the WebSocket",
                "to": "first RTP packet from Chromium arrives at aiortc's RTCRtpReceiver",
                "stages": {k: round(v, 4) for k, v in timeline.items()},
            }
            log("join time (token -> first forwarded packet): %.0f ms; stages %s"
                % (first * 1000, {k: "%.0f ms" % (v * 1000) for k, v in timeline.items()}))

        e = await chromium_hears(page, peer.participant_id, args.timeout)
        check(e is not None, "Chromium getStats: inbound audio from aiortc, packets arriving, level above silence"
              + (" (%s packets, level %.3f, lost %s)" % (e["packetsReceived"], e["audioLevel"], e["packetsLost"]) if e else ""))
        got = await chromium_frequency(page, peer.participant_id, AIORTC_TONE, args.timeout)
        ok = got is not None and abs(got["frequency"] - AIORTC_TONE) <= max(15, AIORTC_TONE * 0.03)
        check(ok, f"Chromium plays aiortc's {AIORTC_TONE} Hz on its tile ({got})")

        async def audio_ok():
            rms, share = aiortc_audio(peer)
            return (rms, share) if rms > 0.01 and share >= 0.5 else None

        heard = await poll(audio_ok, args.timeout)
        rms, share = aiortc_audio(peer)
        check(heard is not None, f"aiortc decodes Chromium's audio: rms {rms:.3f}, {share:.0%} of its power at {CHROMIUM_TONE} Hz")

        async def video_ok():
            v = aiortc_video(peer)
            return v if v and v["frames"] >= MIN_VIDEO_FRAMES else None

        video = await poll(video_ok, args.timeout)
        last = aiortc_video(peer)
        check(video is not None and (video["width"] or 0) >= 160 and (video["height"] or 0) >= 90,
              f"aiortc decodes Chromium's fake camera: {last}")
        results["aiortc_video"] = last
        results["aiortc_audio"] = {"rms": rms, "share_at_%d_hz" % CHROMIUM_TONE: share}
        results["chromium_inbound_audio"] = e
        results["chromium_frequency"] = got
    finally:
        if peer is not None:
            await peer.close()
        if browser.page is not None:
            await browser.close_page()
        browser.kill()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:7880")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--artifacts", default=".build/interop-artifacts/chromium-aiortc")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    args.ws = args.url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/v1/rtc"
    os.makedirs(args.artifacts, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="parley-chromium-aiortc-") as workdir:
        try:
            await asyncio.wait_for(scenario(args, workdir), 120)
        except (Exception, asyncio.TimeoutError) as error:  # a scenario that breaks is a failure, with its reason
            traceback.print_exc()
            check(False, f"chromium-aiortc: {type(error).__name__}: {error}")
    results["seconds"] = round(time.monotonic() - started, 1)
    results["failures"] = failures
    with open(os.path.join(args.artifacts, "results.json"), "w") as f:
        json.dump(results, f, indent=2, default=str)
    if "join_time" in results:
        with open(os.path.join(args.artifacts, "join-time.json"), "w") as f:
            json.dump(results["join_time"], f, indent=2)
    if failures:
        log(f"{len(failures)} check(s) failed")
        sys.exit(1)
    log("all chromium+aiortc checks passed")


if __name__ == "__main__":
    asyncio.run(main())
