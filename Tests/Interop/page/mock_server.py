#!/usr/bin/env python3
"""A stand-in for the Parley server's signaling, for testing the meeting page without the server.

It serves the page's static files, `POST /v1/dev/token`, `POST /v1/rooms` (admin) and the
signaling protocol v1 on `/v1/rtc`, with rooms, participants, the track list, assignment of
remote tracks to recvonly m-lines (answered with `a=msid:<participantId> <trackId>`), mute,
active speakers, recording and leave. It relays NO media: its answers are well-formed but carry no
ICE candidates, so peer connections stay "connecting". What it checks is the page's protocol
logic (tiles, mapping, messages); the media checks need the real server.

Standard library only (asyncio). Usage:
    mock_server.py --port 8090 [--admin-key KEY] [--page-dir DIR] [--no-dev-token]
Tokens it issues are `<header>.<claims>.mock` (base64url JSON); with `--secret S` it also accepts
HS256 tokens signed with S; anything else is rejected as `invalid_token`.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import mimetypes
import os
import re
import struct
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# The policy the page is written to work under (a CSP violation shows as a console error, which the
# driver's hygiene check catches).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PAGE_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "Sources", "ParleyServer", "Page"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(room, identity, name, grants):
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    claims = {"iss": "parley", "sub": identity, "room": room, "name": name, "grants": grants,
              "exp": int(time.time()) + 3600}
    return header + "." + b64url(json.dumps(claims).encode()) + ".mock"


def read_token(token, secret=None):
    """The claims of a token this mock issued, or of an HS256 token signed with `secret`."""
    try:
        header, payload, signature = token.split(".")
        if signature != "mock":
            if not secret:
                return None
            expected = b64url(hmac.new(secret.encode(), (header + "." + payload).encode(), hashlib.sha256).digest())
            if not hmac.compare_digest(expected, signature):
                return None
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except Exception:
        return None


class WebSocket:
    """Minimal RFC 6455 server side: text frames, ping/pong, close."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.closed = False

    async def recv(self):
        while True:
            head = await self.reader.readexactly(2)
            opcode = head[0] & 0x0F
            length = head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", await self.reader.readexactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", await self.reader.readexactly(8))[0]
            if length > 1 << 20:
                raise ConnectionError("frame too large")
            mask = await self.reader.readexactly(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytearray(await self.reader.readexactly(length))
            for i in range(length):
                data[i] ^= mask[i % 4]
            if opcode == 0x8:
                await self.close(1000)
                return None
            if opcode == 0x9:
                await self._frame(0xA, bytes(data))
                continue
            if opcode == 0x1:
                return data.decode()

    async def _frame(self, opcode, payload):
        if self.closed:
            return
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
        self.writer.write(head + payload)
        try:
            await self.writer.drain()
        except ConnectionError:
            self.closed = True

    async def send(self, obj):
        await self._frame(0x1, json.dumps(obj).encode())

    async def close(self, code=1000, reason=""):
        if self.closed:
            return
        await self._frame(0x8, struct.pack("!H", code) + reason.encode()[:100])
        self.closed = True
        self.writer.close()


class Room:
    def __init__(self, name, audio_mode="forwarded", max_participants=50):
        self.name = name
        self.audio_mode = audio_mode
        self.max_participants = max_participants
        self.recording = False
        self.members = {}  # pid -> Member
        self.tracks = []  # [{id, participantId, kind, muted, mid}]


class Member:
    def __init__(self, pid, identity, name, ws, grants):
        self.pid = pid
        self.identity = identity
        self.name = name
        self.ws = ws
        self.grants = grants
        self.assigned = {}  # mid -> track id
        self.used = set()  # mids that have carried a track (for --no-reuse)

    def info(self):
        return {"id": self.pid, "identity": self.identity, "name": self.name}


def parse_offer(sdp):
    sections = []
    for chunk in re.split(r"\r?\n(?=m=)", sdp):
        lines = [l for l in chunk.splitlines() if l]
        if not lines or not lines[0].startswith("m="):
            continue
        s = {"m": lines[0], "kind": lines[0][2:].split()[0], "mid": None, "dir": "sendrecv",
             "lines": lines, "ssrc": False}
        for l in lines:
            if l.startswith("a=mid:"):
                s["mid"] = l[6:]
            elif l in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
                s["dir"] = l[2:]
            elif l.startswith("a=ssrc:"):
                s["ssrc"] = True
        sections.append(s)
    return sections


class Mock:
    def __init__(self, args):
        self.args = args
        self.rooms = {}
        self.next_p = 1
        self.next_t = 1
        self.next_ssrc = 1000

    # -- HTTP --------------------------------------------------------------------------------

    async def handle(self, reader, writer):
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        except Exception:
            writer.close()
            return
        head = request.decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        headers = {}
        for line in head[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        body = b""
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        path = target.split("?", 1)[0]
        if path == "/v1/rtc" and headers.get("upgrade", "").lower() == "websocket":
            accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + GUID).encode()).digest()).decode()
            writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").encode())
            await writer.drain()
            await self.session(WebSocket(reader, writer))
            return
        status, ctype, payload = self.http(method, path, headers, body)
        writer.write(("HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\nCache-Control: no-store\r\n"
                      "Content-Security-Policy: %s\r\nX-Content-Type-Options: nosniff\r\n"
                      "Connection: close\r\n\r\n" % (status, ctype, len(payload), CSP)).encode() + payload)
        await writer.drain()
        writer.close()

    def http(self, method, path, headers, body):
        js = "application/json"
        if method == "POST" and path == "/v1/dev/token":
            if self.args.no_dev_token:
                return 404, js, b'{"error":{"code":"not_found","message":"no dev mode"}}'
            req = json.loads(body or b"{}")
            ident = "user%d" % self.next_p
            tok = make_token(req.get("room", ""), ident, req.get("name", ident),
                             ["join", "publish", "subscribe", "create", "record"])
            return 200, js, json.dumps({"token": tok}).encode()
        if method == "POST" and path == "/v1/rooms":
            if headers.get("authorization") != "Bearer " + self.args.admin_key:
                return 401, js, b'{"error":{"code":"unauthorized","message":"bad admin key"}}'
            req = json.loads(body or b"{}")
            room = Room(req["name"], req.get("audioMode", "forwarded"), req.get("maxParticipants", 50))
            self.rooms[room.name] = room
            return 201, js, json.dumps({"name": room.name, "audioMode": room.audio_mode}).encode()
        if method == "GET" and path == "/debug/assignments":
            # The truth the page's mapping is checked against: mid -> assigned track, per participant.
            out = {}
            for room in self.rooms.values():
                for m in room.members.values():
                    tracks = {tr["id"]: tr for tr in room.tracks}
                    out[m.pid] = {mid: {"participantId": tracks[tid]["participantId"], "trackId": tid,
                                        "kind": tracks[tid]["kind"]}
                                  for mid, tid in m.assigned.items() if tid in tracks}
            return 200, js, json.dumps(out).encode()
        if method == "GET" and path == "/healthz":
            return 200, js, b'{"status":"ok"}'
        if method == "GET":
            name = "index.html" if path == "/" else path.lstrip("/")
            full = os.path.normpath(os.path.join(self.args.page_dir, name))
            if full.startswith(self.args.page_dir) and os.path.isfile(full):
                ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
                with open(full, "rb") as f:
                    return 200, ctype + "; charset=utf-8", f.read()
        return 404, "text/plain", b"not found"

    # -- Signaling -----------------------------------------------------------------------------

    async def broadcast(self, room, msg, skip=None):
        for m in list(room.members.values()):
            if m is not skip:
                await m.ws.send(msg)

    async def error(self, ws, code, message, fatal=False, close=None, mid=None):
        msg = {"type": "error", "code": code, "message": message, "fatal": fatal}
        if mid is not None:
            msg["id"] = mid
        await ws.send(msg)
        if close:
            await ws.close(close)

    async def session(self, ws):
        member = None
        room = None
        try:
            while True:
                text = await ws.recv()
                if text is None:
                    break
                msg = json.loads(text)
                t = msg.get("type")
                if member is None:
                    if t != "join":
                        await self.error(ws, "not_joined", "Join first.")
                        continue
                    claims = read_token(msg.get("token", ""), self.args.secret)
                    if claims is None:
                        await self.error(ws, "invalid_token", "The token signature is not valid.", True, 1008, msg.get("id"))
                        break
                    room = self.rooms.get(claims["room"])
                    if room is None:
                        room = self.rooms[claims["room"]] = Room(claims["room"])
                    if len(room.members) >= room.max_participants:
                        await self.error(ws, "room_full", "Room %s is full." % room.name, True, 1013, msg.get("id"))
                        break
                    pid = "p%d" % self.next_p
                    self.next_p += 1
                    member = Member(pid, claims["sub"], msg.get("name") or claims.get("name") or claims["sub"], ws,
                                    claims.get("grants", []))
                    await self.broadcast(room, {"type": "participant_joined", "participant": member.info()})
                    room.members[pid] = member
                    await ws.send({"type": "joined", "id": msg.get("id"), "participant": member.info(),
                                   "room": {"name": room.name, "audioMode": room.audio_mode, "recording": room.recording},
                                   "participants": [m.info() for m in room.members.values()],
                                   "tracks": self.public_tracks(room)})
                elif t == "offer":
                    await self.offer(room, member, msg)
                elif t == "mute":
                    for tr in room.tracks:
                        if tr["participantId"] == member.pid and tr["kind"] == msg.get("kind"):
                            tr["muted"] = bool(msg.get("muted"))
                            await self.broadcast(room, {"type": "track_muted", "trackId": tr["id"], "muted": tr["muted"]})
                elif t in ("start_recording", "stop_recording"):
                    if "record" not in member.grants:
                        await self.error(ws, "forbidden", "Recording needs the record grant.")
                        continue
                    room.recording = t == "start_recording"
                    await self.broadcast(room, {"type": "recording_started" if room.recording else "recording_stopped",
                                                "file": "room-%s.opus" % room.name})
                elif t == "ping":
                    await ws.send({"type": "pong", "id": msg.get("id")})
                elif t == "leave":
                    break
                elif t == "candidate":
                    pass
                else:
                    await self.error(ws, "bad_request", "Unknown type.")
        except (asyncio.IncompleteReadError, ConnectionError, json.JSONDecodeError):
            pass
        finally:
            if member is not None and room is not None and member.pid in room.members:
                await self.member_left(member)
                del room.members[member.pid]
                room.tracks = [tr for tr in room.tracks if tr["participantId"] != member.pid]
                await self.broadcast(room, {"type": "participant_left", "participantId": member.pid, "reason": "left"})
                await self.broadcast(room, {"type": "tracks", "tracks": self.public_tracks(room)})
            await ws.close(1000)

    async def member_left(self, member):
        """A hook for subclasses (a media-relaying variant closes the member's peer connection)."""

    def public_tracks(self, room):
        return [{k: tr[k] for k in ("id", "participantId", "kind", "muted")} for tr in room.tracks]

    async def offer(self, room, member, msg):
        if self.args.fail_offers == "error":
            await self.error(member.ws, "bad_offer", "The offer has no a=fingerprint.", mid=msg.get("id"))
            return
        if self.args.fail_offers == "garbage":
            await member.ws.send({"type": "answer", "id": msg.get("id"), "sdp": "v=0\r\nnot an sdp\r\n"})
            return
        sections = parse_offer(msg.get("sdp", ""))
        if not sections or "a=group:BUNDLE" not in msg.get("sdp", ""):
            await self.error(member.ws, "unsupported_offer", "BUNDLE is required.", mid=msg.get("id"))
            return
        changed = False
        mixed = room.audio_mode in ("mixed", "both")
        first_audio = next((s["mid"] for s in sections if s["kind"] == "audio"), None)
        for s in sections:
            if s["dir"] in ("sendonly", "sendrecv") and s["ssrc"]:
                if not any(tr["participantId"] == member.pid and tr["mid"] == s["mid"] for tr in room.tracks):
                    room.tracks.append({"id": "t%d" % self.next_t, "participantId": member.pid, "kind": s["kind"],
                                        "muted": False, "mid": s["mid"]})
                    self.next_t += 1
                    changed = True
        # The assignment rule of the protocol: sticky, then track-list order.
        live = {tr["id"]: tr for tr in room.tracks}
        member.assigned = {mid: tid for mid, tid in member.assigned.items() if tid in live}
        taken = set(member.assigned.values())
        lines = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                 "a=group:BUNDLE " + " ".join(s["mid"] for s in sections), "a=ice-lite", "a=msid-semantic: WMS"]
        for s in sections:
            body = [s["m"].split()[0] + " 9 " + " ".join(s["m"].split()[2:]), "c=IN IP4 127.0.0.1",
                    "a=mid:" + s["mid"], "a=ice-ufrag:mock", "a=ice-pwd:mockmockmockmockmockmock",
                    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32), "a=setup:passive", "a=rtcp-mux"]
            body += [l for l in s["lines"] if l.startswith(("a=rtpmap:", "a=fmtp:", "a=rtcp-fb:", "a=extmap:"))]
            direction = "inactive"
            track = None
            if s["dir"] == "recvonly" and not (mixed and s["kind"] == "audio"):
                tid = member.assigned.get(s["mid"])
                if tid is None and not (self.args.no_reuse and s["mid"] in member.used):
                    for tr in room.tracks:
                        if tr["kind"] == s["kind"] and tr["participantId"] != member.pid and tr["id"] not in taken:
                            tid = tr["id"]
                            break
                if tid is not None:
                    member.assigned[s["mid"]] = tid
                    member.used.add(s["mid"])
                    taken.add(tid)
                    track = live[tid]
                    direction = "sendonly"
            elif s["dir"] == "sendonly":
                direction = "recvonly"
            elif s["dir"] == "sendrecv":
                if mixed and s["mid"] == first_audio:
                    direction = "sendrecv"
                    track = {"participantId": "mix", "id": "mix"}
                else:
                    direction = "recvonly"
            body.append("a=" + direction)
            if track is not None:
                ssrc = self.next_ssrc
                self.next_ssrc += 1
                body.append("a=ssrc:%d cname:mock" % ssrc)
                if not self.args.no_msid:
                    body += ["a=msid:%s %s" % (track["participantId"], track["id"]),
                             "a=ssrc:%d msid:%s %s" % (ssrc, track["participantId"], track["id"])]
            lines += body
        await member.ws.send({"type": "answer", "id": msg.get("id"), "sdp": "\r\n".join(lines) + "\r\n"})
        if changed:
            await self.broadcast(room, {"type": "tracks", "tracks": self.public_tracks(room)})

    async def speakers(self):
        while True:
            await asyncio.sleep(1)
            for room in list(self.rooms.values()):
                ids = [tr["participantId"] for tr in room.tracks if tr["kind"] == "audio" and not tr["muted"]]
                await self.broadcast(room, {"type": "active_speakers", "participantIds": ids[:3]})


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--admin-key", default="mock-admin-key")
    parser.add_argument("--page-dir", default=DEFAULT_PAGE_DIR)
    parser.add_argument("--no-dev-token", action="store_true")
    parser.add_argument("--no-reuse", action="store_true",
                        help="never give a freed recvonly m-line a new track (unlike Parley): the page must offer new ones")
    parser.add_argument("--no-msid", action="store_true",
                        help="answers without a=msid: the page must apply the assignment rule itself")
    parser.add_argument("--secret", help="also accept HS256 tokens signed with this secret")
    parser.add_argument("--fail-offers", choices=["error", "garbage"],
                        help="answer every offer with a bad_offer error, or with an unparseable SDP")
    args = parser.parse_args()
    args.page_dir = os.path.abspath(args.page_dir)
    mock = Mock(args)
    server = await asyncio.start_server(mock.handle, args.host, args.port)
    print("mock server on http://%s:%d" % (args.host, args.port), flush=True)
    asyncio.get_running_loop().create_task(mock.speakers())
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
