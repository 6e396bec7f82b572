"""An aiortc participant that speaks Parley's signaling protocol v1 (docs/signaling-protocol.md).

It is an independent WebRTC stack (aiortc: ICE, DTLS, SRTP, Opus) so what it proves does not rest
on Parley's own client code. Each peer sends a sine at its own frequency and keeps what it
receives per track, so a test can check who hears whom.
"""

import asyncio
import base64
import fractions
import hashlib
import hmac
import json
import math
import time

import aioice.ice
import numpy
import websockets
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from av import AudioFrame

# aioice skips 127.0.0.1 when it lists host addresses; inside a loopback-only namespace it would
# gather nothing. This relies on aioice 0.13.0 internals (pinned in Tools/interop.sh).
aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=True: ["127.0.0.1"]

SAMPLE_RATE = 48000
FRAME_SAMPLES = 960  # 20 ms

# Join time needs the arrival of the first RTP packet, before any jitter buffer or decoder: wrap
# aiortc 1.16.0's receiver entry point (pinned like aioice above) to stamp each receiver once.
_handle_rtp_packet = RTCRtpReceiver._handle_rtp_packet


async def _stamped_handle_rtp_packet(self, packet, arrival_time_ms):
    if getattr(self, "parley_first_packet_at", None) is None:
        self.parley_first_packet_at = time.monotonic()
    return await _handle_rtp_packet(self, packet, arrival_time_ms)


RTCRtpReceiver._handle_rtp_packet = _stamped_handle_rtp_packet


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(secret: str, room: str, identity: str, grants=("join", "publish", "subscribe", "create"),
               ttl: int = 600, issuer: str = "parley", name=None, now=None, extra=None, alg="HS256") -> str:
    """An HS256 JWT with Parley's claims (written here so the tests do not share the server's code)."""
    now = int(time.time()) if now is None else now
    claims = {"iss": issuer, "sub": identity, "room": room, "grants": list(grants), "iat": now, "exp": now + ttl}
    if name:
        claims["name"] = name
    if extra:
        claims.update(extra)
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


class SineTrack(MediaStreamTrack):
    """20 ms frames of a sine at `frequency`, paced to real time."""

    kind = "audio"

    def __init__(self, frequency: float, amplitude: float = 0.3):
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self._sent = 0
        self._start = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            wait = self._start + self._sent / SAMPLE_RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        t = (numpy.arange(FRAME_SAMPLES) + self._sent) / SAMPLE_RATE
        samples = (self.amplitude * 32767 * numpy.sin(2 * math.pi * self.frequency * t)).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._sent
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        self._sent += FRAME_SAMPLES
        return frame


def tone_power(samples: numpy.ndarray, frequency: float) -> float:
    """The share of the signal's power within +-20 Hz of `frequency` (0...1)."""
    if len(samples) < SAMPLE_RATE // 2:
        return 0.0
    window = samples * numpy.hanning(len(samples))
    spectrum = numpy.abs(numpy.fft.rfft(window)) ** 2
    freqs = numpy.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    total = spectrum[freqs > 50].sum()
    if total <= 0:
        return 0.0
    band = spectrum[(freqs > frequency - 20) & (freqs < frequency + 20)].sum()
    return float(band / total)


class ProtocolError(Exception):
    def __init__(self, message: dict):
        super().__init__(f"{message.get('code')}: {message.get('message')}")
        self.code = message.get("code")
        self.message = message


class Peer:
    """One participant: a WebSocket to Parley and one RTCPeerConnection (the client always offers)."""

    def __init__(self, url: str, token: str, frequency: float, name: str, receive_video: bool = False):
        self.url = url
        self.receive_video = receive_video
        self.token = token
        self.frequency = frequency
        self.name = name
        self.ws = None
        self.pc = None
        self.participant_id = None
        self.room = None
        self.tracks = []  # the room's track list as last sent by the server
        self.received = {}  # receiving transceiver mid -> list of numpy mono int16 chunks
        self.video = {}  # receiving transceiver mid -> {"frames": n, "width": w, "height": h}
        self.timeline = {}  # join stages -> seconds since join() started (token in hand)
        self.started = None
        self.events = []  # every server message, in order
        self._waiters = []
        self._reader = None
        self._consumers = []
        self._negotiation = asyncio.Lock()
        self._pending_renegotiation = False
        self.answers = 0

    # --- signaling -------------------------------------------------------------------------

    async def connect(self):
        self.ws = await websockets.connect(self.url, max_size=None, open_timeout=10)
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self.events.append(message)
                for waiter in list(self._waiters):
                    predicate, future = waiter
                    if not future.done() and predicate(message):
                        future.set_result(message)
                        self._waiters.remove(waiter)
                if message.get("type") == "tracks":
                    self.tracks = message["tracks"]
                    asyncio.ensure_future(self.renegotiate())
        except websockets.ConnectionClosed:
            pass
        finally:
            for _, future in self._waiters:
                if not future.done():
                    future.set_exception(ConnectionError("signaling closed"))

    async def send(self, message: dict):
        await self.ws.send(json.dumps(message))

    async def wait_for(self, predicate, timeout=10.0):
        for message in self.events:
            if predicate(message) and message.get("_consumed") is None:
                message["_consumed"] = True
                return message
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        message = await asyncio.wait_for(future, timeout)
        message["_consumed"] = True
        return message

    async def request(self, message: dict, reply_type: str, timeout=10.0):
        await self.send(message)
        reply = await self.wait_for(lambda m: m.get("type") in (reply_type, "error") and not m.get("_consumed"), timeout)
        if reply["type"] == "error":
            raise ProtocolError(reply)
        return reply

    # --- media -----------------------------------------------------------------------------

    def _mark(self, stage):
        self.timeline.setdefault(stage, time.monotonic() - self.started)

    async def join(self, publish_audio=True):
        # Join time starts here: the token is in hand and the WebSocket is about to open.
        self.started = time.monotonic()
        await self.connect()
        self._mark("websocket_open")
        joined = await self.request({"type": "join", "token": self.token, "name": self.name}, "joined")
        self._mark("joined")
        self.participant_id = joined["participant"]["id"]
        self.room = joined["room"]
        self.tracks = joined.get("tracks", [])
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))

        @self.pc.on("track")
        def on_track(track):
            transceiver = next((t for t in self.pc.getTransceivers() if t.receiver.track is track), None)
            mid = transceiver.mid if transceiver else str(len(self.received) + len(self.video))
            if track.kind == "video":
                stats = self.video.setdefault(mid, {"frames": 0, "width": None, "height": None})
                self._consumers.append(asyncio.ensure_future(self._consume_video(track, stats)))
                return
            chunks = self.received.setdefault(mid, [])
            self._consumers.append(asyncio.ensure_future(self._consume(track, chunks)))

        if publish_audio:
            self.pc.addTransceiver(SineTrack(self.frequency), direction="sendrecv")
        self._add_receivers()
        await self._negotiate()
        return joined

    def first_packet_seconds(self):
        """Seconds from join() (token in hand, WebSocket about to open) to the first RTP packet on
        any receiving transceiver, i.e. the first packet forwarded from another participant; None
        before one arrives."""
        stamps = [
            t.receiver.parley_first_packet_at
            for t in (self.pc.getTransceivers() if self.pc else [])
            if t.direction == "recvonly" and getattr(t.receiver, "parley_first_packet_at", None) is not None
        ]
        return None if not stamps or self.started is None else min(stamps) - self.started

    def _remote_audio_tracks(self):
        return [t for t in self.tracks if t["kind"] == "audio" and t["participantId"] != self.participant_id]

    def _add_receivers(self):
        if self.room and self.room.get("audioMode") == "mixed":
            return  # the mix arrives on our own sendrecv m-line
        receiving = [t for t in self.pc.getTransceivers() if t.direction == "recvonly" and t.kind == "audio"]
        for _ in range(len(self._remote_audio_tracks()) - len(receiving)):
            self.pc.addTransceiver("audio", direction="recvonly")
        if self.receive_video:
            remote = [t for t in self.tracks if t["kind"] == "video" and t["participantId"] != self.participant_id]
            receiving = [t for t in self.pc.getTransceivers() if t.direction == "recvonly" and t.kind == "video"]
            for _ in range(len(remote) - len(receiving)):
                self.pc.addTransceiver("video", direction="recvonly")

    async def _negotiate(self):
        async with self._negotiation:
            offer = await self.pc.createOffer()
            await self.pc.setLocalDescription(offer)
            answer = await self.request({"type": "offer", "sdp": self.pc.localDescription.sdp}, "answer")
            self._mark("answer")
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
            self.answers += 1

    async def renegotiate(self):
        if self.pc is None:
            return
        before = len(self.pc.getTransceivers())
        self._add_receivers()
        if len(self.pc.getTransceivers()) != before:
            await self._negotiate()

    async def _consume(self, track, chunks):
        try:
            while True:
                frame = await track.recv()
                data = frame.to_ndarray()
                # Packed s16: one row of interleaved channels.
                channels = len(frame.layout.channels)
                mono = data.reshape(-1, channels)[:, 0] if channels > 1 else data.reshape(-1)
                chunks.append(mono.astype(numpy.int16))
        except MediaStreamError:
            pass

    async def _consume_video(self, track, stats):
        try:
            while True:
                frame = await track.recv()
                stats["frames"] += 1
                stats["width"] = frame.width
                stats["height"] = frame.height
        except MediaStreamError:
            pass

    def audio(self, mid, seconds=2.0) -> numpy.ndarray:
        """The last `seconds` received on the transceiver `mid`, as float samples."""
        chunks = self.received.get(mid, [])
        if not chunks:
            return numpy.zeros(0)
        samples = numpy.concatenate(chunks).astype(numpy.float64) / 32768
        return samples[-int(seconds * SAMPLE_RATE):]

    def heard(self, seconds=2.0):
        """For each receiving mid: the share of power at each frequency of interest is computed by callers."""
        return {mid: self.audio(mid, seconds) for mid in self.received}

    async def close(self):
        for consumer in self._consumers:
            consumer.cancel()
        if self.pc is not None:
            await self.pc.close()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
