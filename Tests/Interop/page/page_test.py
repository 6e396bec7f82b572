#!/usr/bin/env python3
"""Browser test of the Parley meeting page: headless Chromium driven over the DevTools protocol.

Given a running server, it starts two headless Chromium instances (fresh user-data-dir each, fake
camera, fake microphone playing its own WAV tone: 440 Hz and 660 Hz), opens the meeting page with
`?test=1` in each and checks:

  forwarded   two pages join one room; each shows two tiles, each page's getStats() shows inbound
              audio from the other participant (mapped to that participant) with a level above
              silence, the other's tile plays the other's tone (an AnalyserNode finds its
              frequency), and video frames decoded; a screenshot of the two-person room is saved
  mute        one page mutes its microphone: the other page's inbound level for it drops to
              silence and its tile shows it muted; unmuting brings the level back
  leave       one page leaves: its tile disappears from the other page
  bitrate     two pages join a fresh room with cameras on: within 15 s the publishing page's send-side
              bandwidth estimate (candidate-pair availableOutgoingBitrate) or its outbound video
              bitrate passes 500 kbps, which Chromium only reaches with the relay's transport-cc
              feedback (without feedback it stays at its 300 kbps start)
  mixed       a room created through the admin API with audioMode "mixed": each page receives the
              mix (one audio stream) with a level above silence, and video frames decoded
  rejected    a page opened with a bad token shows the "token was rejected" message
  full        a room created with maxParticipants 1: the second page shows the "room is full" message
  three       (optional) a third page (880 Hz) joins late: every page hears every other with the
              right tone; then Bob leaves and Carol leaves and comes back as a new participant: Alice
              hears her new tracks (received on reused or new m-lines) with her tone
  denied      (optional) microphone and camera permission denied: the page says so in words and
              still joins (to listen and watch)
  record      (optional; needs the record grant in the tokens) start recording from one page: both
              pages show the recording indicator; stop: it goes away
  camera      (optional) a page that joined with its camera off turns it on: it publishes a video
              track (a new m-line, renegotiated) and the other page decodes its frames
  hygiene     (always) no console errors or uncaught exceptions on the pages, and no request to
              anything but the server's own origin

Tokens come from the page's own `POST /v1/dev/token` (development mode) unless `--secret` is given,
in which case the driver signs HS256 tokens itself and opens the page with `?token=`. The mixed and
full checks create rooms with `--admin-key`.

Usage:
    page_test.py --url http://127.0.0.1:8080 [--admin-key KEY] [--secret S] [--issuer parley]
                 [--artifacts DIR] [--checks forwarded,mute,leave,mixed,rejected,full]
                 [--chromium /usr/bin/chromium] [--timeout 20]
Exit code 0 when every selected check passed, 1 otherwise. Every wait is bounded; every Chromium
is killed by its process group id (= its PID, started in a new session) at the end.

Needs only Python 3.9+ and the `websockets` package.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import math
import os
import random
import shutil
import signal
import string
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import wave

import websockets

DEFAULT_CHECKS = ["forwarded", "mute", "leave", "bitrate", "mixed", "rejected", "full"]
ALL_CHECKS = DEFAULT_CHECKS + ["three", "denied", "record", "camera"]
SILENCE = 0.003  # audioLevel is 0..1 (linear); the tones are generated at about 0.5
SOUND = 0.02


class CheckFailed(Exception):
    pass


def log(*args):
    print("[%s]" % time.strftime("%H:%M:%S"), *args, flush=True)


# ---- Fixtures -----------------------------------------------------------------------------------


def write_tone(path, frequency, seconds=20, rate=48000, amplitude=0.5):
    """A mono 16-bit WAV sine; Chromium loops it as the fake microphone."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        frames += struct.pack("<h", int(amplitude * 32767 * math.sin(2 * math.pi * frequency * i / rate)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_token(secret, issuer, room, identity, name, grants, ttl=3600):
    """An HS256 JWT with the claims of the Parley protocol."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    now = int(time.time())
    claims = {"iss": issuer, "sub": identity, "room": room, "name": name, "grants": grants,
              "iat": now, "exp": now + ttl}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), (header + "." + payload).encode(), hashlib.sha256).digest()
    return header + "." + payload + "." + b64url(signature)


def http_json(method, url, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def unique(prefix):
    return prefix + "-" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6))


# ---- DevTools protocol --------------------------------------------------------------------------


class CDPSession:
    """One page target over its own DevTools WebSocket."""

    def __init__(self, ws, label, origin):
        self.ws = ws
        self.label = label
        self.origin = origin
        self.next_id = 1
        self.pending = {}
        self.console_errors = []
        self.foreign_requests = []
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self):
        try:
            async for raw in self.ws:
                msg = json.loads(raw)
                if "id" in msg:
                    fut = self.pending.pop(msg["id"], None)
                    if fut and not fut.done():
                        fut.set_result(msg)
                else:
                    self._event(msg.get("method"), msg.get("params", {}))
        except websockets.ConnectionClosed:
            pass
        finally:
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(CheckFailed(self.label + ": DevTools connection closed"))

    def _event(self, method, params):
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console_errors.append("console.error: " + text)
        elif method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            self.console_errors.append("exception: " + d.get("text", "") + " " +
                                       str(d.get("exception", {}).get("description", "")))
        elif method == "Log.entryAdded":
            e = params.get("entry", {})
            if e.get("level") == "error":
                self.console_errors.append("log(%s): %s %s" % (e.get("source"), e.get("text"), e.get("url", "")))
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not self._own(url):
                self.foreign_requests.append(url)
        elif method == "Network.webSocketCreated":
            url = params.get("url", "")
            if not self._own(url):
                self.foreign_requests.append(url)

    def _own(self, url):
        if url.startswith(("data:", "blob:", "about:")):
            return True
        u = urllib.parse.urlsplit(url)
        o = urllib.parse.urlsplit(self.origin)
        return u.hostname == o.hostname and u.port == o.port and u.scheme in ("http", "https", "ws", "wss")

    async def call(self, method, params=None, timeout=15):
        mid = self.next_id
        self.next_id += 1
        fut = asyncio.get_running_loop().create_future()
        self.pending[mid] = fut
        await self.ws.send(json.dumps({"id": mid, "method": method, "params": params or {}}))
        try:
            msg = await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self.pending.pop(mid, None)
            raise CheckFailed("%s: %s timed out after %ss" % (self.label, method, timeout))
        if "error" in msg:
            raise CheckFailed("%s: %s failed: %s" % (self.label, method, msg["error"]))
        return msg.get("result", {})

    async def eval(self, expression, timeout=15):
        result = await self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                      "returnByValue": True}, timeout)
        if "exceptionDetails" in result:
            d = result["exceptionDetails"]
            raise CheckFailed("%s: evaluating %r threw %s" % (self.label, expression[:80],
                                                                 d.get("exception", {}).get("description", d.get("text"))))
        return result.get("result", {}).get("value")

    async def close(self):
        self.reader.cancel()
        try:
            await self.ws.close()
        except Exception:
            pass


class Browser:
    """A headless Chromium with a fresh profile and its own fake microphone tone."""

    def __init__(self, args, label, tone_path, workdir, deny_media=False, frequency=None):
        self.args = args
        self.frequency = frequency
        self.deny_media = deny_media
        self.label = label
        self.tone = tone_path
        self.profile = tempfile.mkdtemp(prefix="parley-chromium-" + label + "-", dir=workdir)
        self.proc = None
        self.port = None
        self.page = None

    async def start(self):
        cmd = [
            self.args.chromium, "--headless=new", "--no-sandbox",
            # Without the fake UI the permission prompt is refused: getUserMedia fails as when a
            # person clicks "Block".
            "--deny-permission-prompts" if self.deny_media else "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--use-file-for-fake-audio-capture=" + self.tone,
            "--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--autoplay-policy=no-user-gesture-required",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-extensions", "--disable-gpu", "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--window-size=1280,800",
            "--user-data-dir=" + self.profile, "about:blank",
        ]
        self.log_file = open(os.path.join(self.args.artifacts, "chromium-%s.log" % self.label), "wb")
        # A new session makes the browser's process group id its PID: the whole tree is then
        # killed by that id at the end.
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CheckFailed("%s: chromium exited with %s (see chromium-%s.log)" % (self.label, self.proc.returncode, self.label))
            if os.path.exists(port_file):
                lines = open(port_file).read().split()
                if lines:
                    self.port = int(lines[0])
                    break
            await asyncio.sleep(0.1)
        if self.port is None:
            raise CheckFailed(self.label + ": no DevToolsActivePort within 20 s")
        log(self.label, "chromium pid", self.proc.pid, "devtools port", self.port)

    async def open(self, url):
        """Opens `url` in a fresh tab (closing the previous one) and returns its CDPSession."""
        if self.page is not None:
            await self.close_page()
        version = json.loads(await asyncio.to_thread(self._get, "/json/version"))
        browser_ws = await websockets.connect(version["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        try:
            browser = CDPSession(browser_ws, self.label + "/browser", self.args.url)
            target = await browser.call("Target.createTarget", {"url": "about:blank"})
            self.target_id = target["targetId"]
            await browser.close()
        except Exception:
            await browser_ws.close()
            raise
        for _ in range(50):
            targets = json.loads(await asyncio.to_thread(self._get, "/json/list"))
            match = [t for t in targets if t.get("id") == self.target_id]
            if match:
                break
            await asyncio.sleep(0.1)
        else:
            raise CheckFailed(self.label + ": new tab not listed")
        ws = await websockets.connect(match[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        page = CDPSession(ws, self.label, self.args.url)
        for domain in ("Runtime", "Log", "Network", "Page"):
            await page.call(domain + ".enable")
        await page.call("Page.navigate", {"url": url})
        self.page = page
        await wait_for(page, "document.readyState === 'complete' && !!window.parleyTest", 15, "page loaded")
        return page

    async def close_page(self):
        page, self.page = self.page, None
        await page.close()
        try:
            await asyncio.to_thread(self._get, "/json/close/" + self.target_id)
        except Exception:
            pass

    def _get(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path), timeout=5) as r:
            return r.read().decode()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # stragglers of the group
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


async def wait_for(page, expression, timeout, what):
    """Polls a JavaScript expression until it is truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = await page.eval(expression, timeout=5)
        except CheckFailed as e:
            last = str(e)
        if last:
            return last
        await asyncio.sleep(0.25)
    raise CheckFailed("%s: timed out after %ss waiting for %s (last value %r)" % (page.label, timeout, what, last))


async def state(page):
    return await page.eval("window.parleyTest.state()")


async def stats(page):
    return await page.eval("window.parleyTest.stats()")


# ---- The test run -------------------------------------------------------------------------------


class Run:
    def __init__(self, args):
        self.args = args
        self.results = []
        self.browsers = []
        self.pages = []
        self.carol = None

    def page_url(self, room, name, grants=None, token=None):
        base = self.args.url.rstrip("/") + "/?test=1"
        if token is not None:
            return base + "&token=" + urllib.parse.quote(token)
        if self.args.secret:
            tok = sign_token(self.args.secret, self.args.issuer, room, unique(name.lower()), name,
                             grants or ["join", "publish", "subscribe", "create", "record"])
            return base + "&token=" + urllib.parse.quote(tok)
        return base + "&room=" + urllib.parse.quote(room)

    async def open_and_join(self, browser, room, name, camera=True):
        page = await browser.open(self.page_url(room, name))
        self.pages.append(page)
        await page.eval("window.parleyTest.join(%s, %s, {camera: %s})" % (json.dumps(room), json.dumps(name),
                                                                        "true" if camera else "false"))
        await wait_for(page, "window.parleyTest.state().me !== null || window.parleyTest.state().notice", self.args.timeout,
                       "joined or an error")
        st = await state(page)
        if st["me"] is None:
            raise CheckFailed("%s could not join %s: %s" % (name, room, st["notice"]))
        return page

    def create_room(self, name, **settings):
        if not self.args.admin_key:
            raise CheckFailed("this check needs --admin-key to create a room")
        body = {"name": name}
        body.update(settings)
        status, reply = http_json("POST", self.args.url.rstrip("/") + "/v1/rooms", body,
                                  {"Authorization": "Bearer " + self.args.admin_key})
        if status not in (200, 201):
            raise CheckFailed("creating room %s: HTTP %s %s" % (name, status, reply))

    async def sample_inbound(self, page, predicate, seconds, what):
        """Samples getStats every 250 ms for up to `seconds`; returns the inbound entries that
        satisfied `predicate` (a Python function over one stats() result), or fails."""
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            last = await stats(page)
            hit = predicate(last)
            if hit:
                return hit
            await asyncio.sleep(0.25)
        raise CheckFailed("%s: %s not seen within %ss; last stats %s" % (page.label, what, seconds, json.dumps(last)[:1500]))

    async def check_assigned(self, page, participant_id, kind, what):
        """--signaling-only: the page mapped a received m-line of `kind` to the participant."""
        if participant_id == "mix":
            expr = ("(() => { const s = window.parleyTest.state(); return s.room.audioMode !== 'forwarded' && "
                    "!Object.values(s.assignments).some(a => a.kind === 'audio') })()")
        else:
            expr = ("Object.values(window.parleyTest.state().assignments).some(a => a.kind === %s && a.participantId === %s)"
                    % (json.dumps(kind), json.dumps(participant_id)))
        await wait_for(page, expr, self.args.timeout, what + " (mapped m-line)")
        log("  %s: %s mapped (signaling only)" % (page.label, what))

    async def check_audio_from(self, page, participant_id, what, frequency=None):
        """Inbound audio mapped to `participant_id` ('mix': the room's mix) with a level above
        silence; with `frequency`, the tile plays that tone (so the mapping is the right one)."""
        if self.args.signaling_only:
            return await self.check_assigned(page, participant_id, "audio", what)
        seen = {}

        def audible(s):
            # Packets must still be arriving: a reused m-line keeps the stats of its old stream.
            for e in s["inbound"]:
                if e["kind"] != "audio" or e["participantId"] != participant_id:
                    continue
                key = (e["mid"], e["ssrc"])
                fresh = key in seen and e["packetsReceived"] > seen[key]
                seen[key] = e["packetsReceived"]
                if fresh and (e.get("audioLevel") or 0) > SOUND:
                    return e
            return None
        e = await self.sample_inbound(page, audible, self.args.timeout, what)
        log("  %s: %s packets, level %.3f, lost %s" % (page.label, e["packetsReceived"], e["audioLevel"], e["packetsLost"]))
        if frequency is not None:
            deadline = time.monotonic() + self.args.timeout
            got = None
            while time.monotonic() < deadline:
                got = await page.eval("window.parleyTest.frequency(%s, 500)" % json.dumps(participant_id))
                if got and abs(got["frequency"] - frequency) <= max(15, frequency * 0.03):
                    log("  %s: %s plays %.0f Hz (expected %d)" % (page.label, participant_id, got["frequency"], frequency))
                    return
                await asyncio.sleep(0.25)
            raise CheckFailed("%s: %s: expected a %d Hz tone, measured %r" % (page.label, what, frequency, got))

    async def check_video_from(self, page, participant_id, what):
        if self.args.signaling_only:
            return await self.check_assigned(page, participant_id, "video", what)
        first = {}

        def decoding(s):
            for e in s["inbound"]:
                if e["kind"] == "video" and e["participantId"] == participant_id and e["framesDecoded"] > 0:
                    key = e["mid"]
                    if key in first and e["framesDecoded"] > first[key]:
                        return e
                    first.setdefault(key, e["framesDecoded"])
            return None
        e = await self.sample_inbound(page, decoding, self.args.timeout, what)
        log("  %s: %s frames decoded (%sx%s)" % (page.label, e["framesDecoded"], e.get("frameWidth"), e.get("frameHeight")))

    async def screenshot(self, page, name):
        shot = await page.call("Page.captureScreenshot", {"format": "png"}, timeout=20)
        path = os.path.join(self.args.artifacts, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        log("  screenshot", path)

    # -- checks --

    async def two_in_room(self, room, mixed):
        a, b = self.browsers
        camera = not self.args.no_video
        pa = await self.open_and_join(a, room, "Alice", camera=camera)
        pb = await self.open_and_join(b, room, "Bob", camera=camera)
        ida = (await state(pa))["me"]["id"]
        idb = (await state(pb))["me"]["id"]
        for page in (pa, pb):
            await wait_for(page, "window.parleyTest.state().tiles.length === 2", self.args.timeout, "two tiles")
        if mixed:
            for page in (pa, pb):
                mode = (await state(page))["room"]["audioMode"]
                if mode != "mixed":
                    raise CheckFailed("%s: room audioMode is %r, expected 'mixed'" % (page.label, mode))
            # The mix minus one's own voice: the other's tone.
            await self.check_audio_from(pa, "mix", "audible mix on Alice's page", b.frequency)
            await self.check_audio_from(pb, "mix", "audible mix on Bob's page", a.frequency)
        else:
            await self.check_audio_from(pa, idb, "audible inbound audio from Bob on Alice's page", b.frequency)
            await self.check_audio_from(pb, ida, "audible inbound audio from Alice on Bob's page", a.frequency)
        if camera:
            await self.check_video_from(pa, idb, "video frames decoded from Bob on Alice's page")
            await self.check_video_from(pb, ida, "video frames decoded from Alice on Bob's page")
        return pa, pb, ida, idb

    async def check_forwarded(self):
        room = unique("fwd")
        pa, pb, ida, idb = await self.two_in_room(room, mixed=False)
        await asyncio.sleep(1)  # let the video elements paint a few frames
        await self.screenshot(pa, "two-person-room.png")
        await self.screenshot(pb, "two-person-room-bob.png")
        # The same room at phone width (the layout must stay usable there).
        await pa.call("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        await asyncio.sleep(0.5)
        await self.screenshot(pa, "two-person-room-phone.png")
        await pa.call("Emulation.clearDeviceMetricsOverride")
        self.room_pages = (pa, pb, ida, idb)

    async def check_mute(self):
        pa, pb, ida, idb = await self.ensure_pair()
        tile = "window.parleyTest.state().tiles.find(t => t.participantId === %s)" % json.dumps(ida)
        if await pb.eval("(%s || {}).audioMuted !== false" % tile):
            raise CheckFailed("Bob's page shows Alice muted before she mutes")
        await pa.eval("window.parleyTest.mute('audio', true)")
        muted_at = time.monotonic()
        quiet_since = []

        def quiet(s):
            # Silent (and still receiving: packetsReceived may grow) for at least one second.
            e = [x for x in s["inbound"] if x["kind"] == "audio" and x["participantId"] == ida]
            if not (e and all((x.get("audioLevel") or 0) < SILENCE for x in e)):
                quiet_since.clear()
                return None
            if not quiet_since:
                quiet_since.append(time.monotonic())
            if time.monotonic() - quiet_since[0] >= 1.0:
                log("  %s: level %.4f, silent %.1f s after muting" % (pb.label, e[0].get("audioLevel") or 0,
                                                                     quiet_since[0] - muted_at))
                return e[0]
            return None
        # audioLevel is smoothed over a short window: give it a few seconds.
        if not self.args.signaling_only:
            await self.sample_inbound(pb, quiet, self.args.timeout, "silence from muted Alice on Bob's page")
        await wait_for(pb, "window.parleyTest.state().tiles.some(t => t.participantId === %s && t.audioMuted)" % json.dumps(ida),
                       self.args.timeout, "Alice's tile shown muted")
        await pa.eval("window.parleyTest.mute('audio', false)")
        await self.check_audio_from(pb, ida, "audio from Alice again after unmuting")

    async def check_leave(self):
        pa, pb, ida, idb = await self.ensure_pair()
        await pb.eval("window.parleyTest.leave()")
        await wait_for(pa, "window.parleyTest.state().tiles.length === 1 && "
                           "!window.parleyTest.state().tiles.some(t => t.participantId === %s)" % json.dumps(idb),
                       self.args.timeout, "Bob's tile removed")
        self.room_pages = None

    # The page keeps its RTCPeerConnection to itself: note it when the page's own stats() calls
    # getStats, then ask it for the candidate pair's availableOutgoingBitrate (not in stats()).
    HOOK_PEER_CONNECTION = (
        "(() => { if (!window.__parleyHooked) { window.__parleyHooked = true;"
        " const get = RTCPeerConnection.prototype.getStats;"
        " RTCPeerConnection.prototype.getStats = function (...a) {"
        " window.__parleyPeerConnection = this; return get.apply(this, a); }; } return true; })()")
    SEND_RATE = (
        "(async () => { const pc = window.__parleyPeerConnection; if (!pc) return null;"
        " const report = await pc.getStats(); let available = 0, bytes = 0;"
        " report.forEach((s) => {"
        " if (s.type === 'candidate-pair' && s.availableOutgoingBitrate)"
        " available = Math.max(available, s.availableOutgoingBitrate);"
        " if (s.type === 'outbound-rtp' && s.kind === 'video') bytes += s.bytesSent || 0; });"
        " return { available: available, bytes: bytes, ms: performance.now() }; })()")

    async def check_bitrate(self):
        if self.args.no_video or self.args.signaling_only:
            log("  skipped: needs video and media")
            return
        a, b = self.browsers
        room = unique("bwe")
        pa = await self.open_and_join(a, room, "Alice", camera=True)
        pb = await self.open_and_join(b, room, "Bob", camera=True)
        ida = (await state(pa))["me"]["id"]
        started = time.monotonic()
        await pa.eval(self.HOOK_PEER_CONNECTION)
        threshold = 500_000
        previous = None
        series = []
        while time.monotonic() - started < 15:
            await stats(pa)
            sample = await pa.eval(self.SEND_RATE)
            if sample:
                video = 0
                if previous and sample["ms"] > previous["ms"]:
                    video = (sample["bytes"] - previous["bytes"]) * 8000 / (sample["ms"] - previous["ms"])
                previous = sample
                elapsed = time.monotonic() - started
                series.append("%.1fs: estimate %d, video %d" % (elapsed, sample["available"], video))
                if sample["available"] >= threshold or video >= threshold:
                    log("  Alice's send rate: %s" % "; ".join(series))
                    await self.check_video_from(pb, ida, "video frames decoded from Alice")
                    self.room_pages = None
                    return
            await asyncio.sleep(1)
        self.room_pages = None
        raise CheckFailed("Alice's bandwidth estimate and video bitrate stayed under %d bit/s for 15 s: %s"
                          % (threshold, "; ".join(series)))

    async def ensure_pair(self):
        if getattr(self, "room_pages", None):
            return self.room_pages
        await self.check_forwarded()
        return self.room_pages

    async def check_mixed(self):
        room = unique("mix")
        self.create_room(room, audioMode="mixed")
        await self.two_in_room(room, mixed=True)
        await self.screenshot(self.pages[-2], "mixed-room.png")
        self.room_pages = None

    async def check_rejected(self):
        b = self.browsers[1]
        page = await b.open(self.page_url("x", "Mallory", token="not.a.valid-token"))
        self.pages.append(page)
        await page.eval("window.parleyTest.join(null, 'Mallory', {})")
        st = await wait_for(page, "(() => { const s = window.parleyTest.state(); return s.notice && s.phase === 'failed' ? s : null })()",
                            self.args.timeout, "an error message")
        if "token was rejected" not in st["notice"] or st["lastError"]["code"] != "invalid_token":
            raise CheckFailed("rejected token: the page says %r (code %s)" % (st["notice"], st["lastError"]))
        log("  message:", st["notice"])
        await self.screenshot(page, "rejected-token.png")

    async def check_full(self):
        a, b = self.browsers
        room = unique("full")
        self.create_room(room, maxParticipants=1)
        await self.open_and_join(a, room, "Alice", camera=False)
        page = await b.open(self.page_url(room, "Bob"))
        self.pages.append(page)
        await page.eval("window.parleyTest.join(%s, 'Bob', {camera: false})" % json.dumps(room))
        st = await wait_for(page, "(() => { const s = window.parleyTest.state(); return s.notice && s.phase === 'failed' ? s : null })()",
                            self.args.timeout, "an error message")
        if "room is full" not in st["notice"] or st["lastError"]["code"] != "room_full":
            raise CheckFailed("full room: the page says %r (code %s)" % (st["notice"], st["lastError"]))
        log("  message:", st["notice"])
        await self.screenshot(page, "room-full.png")

    async def check_record(self):
        pa, pb, ida, idb = await self.ensure_pair()
        shown = "!document.getElementById('recording-indicator').hidden"
        await pa.eval("window.parleyTest.record()")
        for page in (pa, pb):
            await wait_for(page, "window.parleyTest.state().recording && " + shown, self.args.timeout, "the recording indicator")
        await self.screenshot(pa, "recording.png")
        await pa.eval("window.parleyTest.record()")
        for page in (pa, pb):
            await wait_for(page, "!window.parleyTest.state().recording && !(%s)" % shown, self.args.timeout,
                           "the recording indicator gone")

    async def check_three(self):
        a, b = self.browsers[0], self.browsers[1]
        if self.carol is None:
            path = os.path.join(self.workdir, "tone-880.wav")
            write_tone(path, 880)
            self.carol = Browser(self.args, "carol", path, self.workdir, frequency=880)
            await self.carol.start()
        c = self.carol
        pa, pb, ida, idb = await self.ensure_pair()
        room = (await state(pa))["room"]["name"]
        camera = not self.args.no_video
        pc = await self.open_and_join(c, room, "Carol", camera=camera)
        idc = (await state(pc))["me"]["id"]
        people = [(pa, ida, a), (pb, idb, b), (pc, idc, c)]
        for page, _, _ in people:
            await wait_for(page, "window.parleyTest.state().tiles.length === 3", self.args.timeout, "three tiles")
        for page, pid, _ in people:
            for _, other, browser in people:
                if other != pid:
                    await self.check_audio_from(page, other, "audio from %s on %s's page" % (browser.label, page.label),
                                                browser.frequency)
        await self.check_mapping_truth(people)
        # Bob leaves, Carol leaves and comes back as a new participant: her new tracks take m-lines
        # that were freed on Alice's page.
        await pb.eval("window.parleyTest.leave()")
        await c.close_page()
        await wait_for(pa, "window.parleyTest.state().tiles.length === 1", self.args.timeout, "Bob and Carol gone")
        pc = await self.open_and_join(c, room, "Carol", camera=camera)
        idc = (await state(pc))["me"]["id"]
        await self.check_audio_from(pa, idc, "audio from the returning Carol on Alice's page", c.frequency)
        await self.check_audio_from(pc, ida, "audio from Alice on the returning Carol's page", a.frequency)
        if camera:
            await self.check_video_from(pa, idc, "video from the returning Carol on Alice's page")
        await self.check_mapping_truth([(pa, ida, a), (pc, idc, c)])
        await self.screenshot(pa, "three-rejoined.png")
        self.room_pages = None

    async def check_mapping_truth(self, people):
        """Against mock_server.py only (it publishes its assignments): every page's mid -> track
        mapping equals the server's."""
        try:
            status, truth = http_json("GET", self.args.url.rstrip("/") + "/debug/assignments")
        except Exception:
            return
        if status != 200 or not isinstance(truth, dict):
            return
        for page, pid, _ in people:
            mine = (await state(page))["assignments"]
            want = {mid: a["trackId"] for mid, a in truth.get(pid, {}).items()}
            got = {mid: a["trackId"] for mid, a in mine.items()}
            if want != got:
                raise CheckFailed("%s: the page maps m-lines %s, the server assigned %s" % (page.label, got, want))
        log("  mapping equals the mock server's assignments on %d pages" % len(people))

    async def check_denied(self):
        # A third browser, started only for this check and killed after it.
        b = Browser(self.args, "dora", self.browsers[0].tone, self.workdir, deny_media=True)
        try:
            await b.start()
            room = unique("denied")
            page = await b.open(self.page_url(room, "Dora"))
            self.pages.append(page)
            await page.eval("window.parleyTest.join(%s, 'Dora', {})" % json.dumps(room))
            st = await wait_for(page, "(() => { const s = window.parleyTest.state(); return s.me && s.notice ? s : null })()",
                                self.args.timeout, "joined with a message")
            if not ("microphone" in st["notice"] and "was denied" in st["notice"]) or (st["lastError"] or {}).get("code") != "mic_denied":
                raise CheckFailed("microphone denied: the page says %r (%s)" % (st["notice"], st["lastError"]))
            log("  message:", st["notice"])
            await self.screenshot(page, "microphone-denied.png")
        finally:
            if b.page is not None:
                await b.close_page()
            b.kill()

    async def check_camera(self):
        a, b = self.browsers
        room = unique("cam")
        pa = await self.open_and_join(a, room, "Alice", camera=False)
        pb = await self.open_and_join(b, room, "Bob", camera=False)
        ida = (await state(pa))["me"]["id"]
        await wait_for(pb, "window.parleyTest.state().tiles.length === 2", self.args.timeout, "two tiles")
        await pa.eval("window.parleyTest.mute('video', false)")
        await self.check_video_from(pb, ida, "video frames decoded from Alice after she turned her camera on")
        self.room_pages = None

    async def run(self):
        workdir = self.workdir = tempfile.mkdtemp(prefix="parley-page-test-")
        try:
            for label, freq in (("alice", 440), ("bob", 660)):
                path = os.path.join(workdir, "tone-%d.wav" % freq)
                write_tone(path, freq)
                browser = Browser(self.args, label, path, workdir, frequency=freq)
                self.browsers.append(browser)
                await browser.start()
            for name in self.args.checks:
                log("check", name)
                started = time.monotonic()
                try:
                    await asyncio.wait_for(getattr(self, "check_" + name)(), self.args.timeout * 6)
                    self.results.append((name, True, ""))
                    log("PASS", name, "(%.1f s)" % (time.monotonic() - started))
                except Exception as e:  # a failed check must not stop the others
                    msg = str(e) if isinstance(e, CheckFailed) else traceback.format_exc()
                    if isinstance(e, asyncio.TimeoutError):
                        msg = "the whole check timed out"
                    self.results.append((name, False, msg))
                    log("FAIL", name, msg)
                    self.room_pages = None
            problems = []
            for page in self.pages:
                problems += ["%s: %s" % (page.label, p) for p in page.console_errors]
                problems += ["%s: request to %s" % (page.label, u) for u in page.foreign_requests]
            self.results.append(("hygiene", not problems, "\n".join(problems)))
            log("PASS" if not problems else "FAIL", "hygiene", "\n".join(problems))
        finally:
            for page in self.pages:
                await page.close()
            for browser in self.browsers + ([self.carol] if self.carol else []):
                browser.kill()
            shutil.rmtree(workdir, ignore_errors=True)
        failed = [r for r in self.results if not r[1]]
        print("\n%d passed, %d failed" % (len(self.results) - len(failed), len(failed)))
        for name, ok, msg in self.results:
            print("  %-10s %s" % (name, "ok" if ok else "FAILED: " + msg.splitlines()[0] if msg else "FAILED"))
        return 0 if not failed else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--admin-key", default=os.environ.get("PARLEY_ADMIN_KEY"), help="admin API key (mixed, full)")
    parser.add_argument("--secret", default=os.environ.get("PARLEY_TOKEN_SECRET"),
                        help="HS256 token secret: sign tokens here instead of using /v1/dev/token")
    parser.add_argument("--issuer", default="parley")
    parser.add_argument("--artifacts", default="artifacts")
    parser.add_argument("--checks", default=",".join(DEFAULT_CHECKS), help="any of " + ",".join(ALL_CHECKS))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=20, help="seconds for each wait")
    parser.add_argument("--total-timeout", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--no-video", action="store_true",
                        help="join with cameras off and skip the video checks (a server without video yet)")
    parser.add_argument("--signaling-only", action="store_true",
                        help="against mock_server.py (no media): check the mapping of m-lines to participants "
                             "instead of getStats levels and frames")
    args = parser.parse_args()
    args.checks = [c for c in args.checks.split(",") if c]
    unknown = [c for c in args.checks if c not in ALL_CHECKS]
    if unknown:
        parser.error("unknown checks: " + ", ".join(unknown))
    os.makedirs(args.artifacts, exist_ok=True)
    args.artifacts = os.path.abspath(args.artifacts)
    run = Run(args)
    try:
        code = asyncio.run(asyncio.wait_for(run.run(), args.total_timeout))
    except asyncio.TimeoutError:
        print("FAILED: the whole run took more than %.0f s" % args.total_timeout, flush=True)
        code = 1
    finally:
        # Idempotent: normally run() has killed them already.
        for browser in run.browsers + ([run.carol] if run.carol else []):
            browser.kill()
    sys.exit(code)


if __name__ == "__main__":
    main()
