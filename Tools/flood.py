#!/usr/bin/env python3
"""Garbage datagrams at a fixed rate, for the flood soak (Tools/soak.sh, SECURITY.md "floods").

Sends to one loopback UDP port for a bounded time, from a few hundred source ports, a mix of what
an attacker can cheaply send a media port: random bytes of random length (1-1500), datagrams that
look like STUN Binding requests (valid header, random attributes, unknown ufrags, bad integrity),
like DTLS records (ClientHello-shaped, random bodies), like SRTP/RTP (version 2, random SSRCs and
payload types) and like SRTCP (PT 200-206); and oversized ones (1501-9000 bytes) the relay must
drop before parsing. Paced in 5 ms slices so the rate holds without bursts longer than a slice.

Only loopback targets are accepted. Prints what it sent as one JSON line.
"""

import argparse
import ipaddress
import json
import os
import random
import signal
import socket
import struct
import sys
import time


def stun_like(rng: random.Random) -> bytes:
    body = bytearray()
    # USERNAME with an unknown ufrag pair, then garbage MESSAGE-INTEGRITY and FINGERPRINT.
    user = f"{rng.getrandbits(32):08x}:{rng.getrandbits(32):08x}".encode()
    body += struct.pack("!HH", 0x0006, len(user)) + user + b"\0" * ((4 - len(user) % 4) % 4)
    if rng.random() < 0.5:
        body += struct.pack("!HH", 0x0025, 0)  # USE-CANDIDATE
    body += struct.pack("!HH", 0x0008, 20) + rng.randbytes(20)
    body += struct.pack("!HH", 0x8028, 4) + rng.randbytes(4)
    header = struct.pack("!HHI", 0x0001, len(body), 0x2112A442) + rng.randbytes(12)
    return header + bytes(body)


def dtls_like(rng: random.Random) -> bytes:
    body = rng.randbytes(rng.randint(40, 300))
    return struct.pack("!BHHHIH", 22, 0xFEFD, 0, 0, rng.getrandbits(32), len(body)) + body


def rtp_like(rng: random.Random) -> bytes:
    header = struct.pack("!BBHII", 0x80, rng.randint(96, 127), rng.getrandbits(16), rng.getrandbits(32), rng.getrandbits(32))
    return header + rng.randbytes(rng.randint(20, 1200))


def rtcp_like(rng: random.Random) -> bytes:
    words = rng.randint(1, 30)
    header = struct.pack("!BBHI", 0x81, rng.randint(200, 206), words, rng.getrandbits(32))
    return header + rng.randbytes(words * 4 - 4 + 14)


def random_bytes(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(1, 1500))


def oversized(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(1501, 9000))


KINDS = [
    ("random", random_bytes, 0.30),
    ("stun", stun_like, 0.20),
    ("dtls", dtls_like, 0.15),
    ("rtp", rtp_like, 0.20),
    ("rtcp", rtcp_like, 0.10),
    ("oversized", oversized, 0.05),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=int, default=20000, help="datagrams per second (default 20000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60, at most 600)")
    parser.add_argument("--sources", type=int, default=256, help="source ports to send from (default 256)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    if not ipaddress.ip_address(args.host).is_loopback:
        print("flood: only loopback targets", file=sys.stderr)
        return 2
    seconds = min(max(args.seconds, 0.0), 600.0)
    rng = random.Random(args.seed)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sockets = []
    for _ in range(max(1, min(args.sources, 1024))):
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sockets.append(sock)

    # A pool of pre-built datagrams (generating each one would cap the rate in Python).
    pool = []
    weights = []
    for name, make, weight in KINDS:
        for _ in range(400):
            pool.append((name, make(rng)))
            weights.append(weight)
    order = rng.choices(range(len(pool)), weights=weights, k=20000)

    # SIGTERM ends the run early but still prints the summary.
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    sent = {name: 0 for name, _, _ in KINDS}
    errors = 0
    target = (args.host, args.port)
    slice_seconds = 0.005
    per_slice = max(1, round(args.rate * slice_seconds))
    start = time.monotonic()
    deadline = start + seconds
    next_slice = start
    cursor = 0
    total = 0
    while True:
        now = time.monotonic()
        if now >= deadline or stopping:
            break
        if now < next_slice:
            time.sleep(next_slice - now)
            continue
        for _ in range(per_slice):
            name, datagram = pool[order[cursor % len(order)]]
            sock = sockets[cursor % len(sockets)]
            cursor += 1
            try:
                sock.sendto(datagram, target)
                sent[name] += 1
                total += 1
            except OSError:
                errors += 1
        next_slice += slice_seconds
        # Behind by more than 100 ms (the machine was busy): do not burst to catch up.
        if time.monotonic() - next_slice > 0.1:
            next_slice = time.monotonic()
    elapsed = time.monotonic() - start
    for sock in sockets:
        sock.close()
    print(json.dumps({"sent": total, "by_kind": sent, "send_errors": errors, "seconds": round(elapsed, 2),
                      "rate": round(total / elapsed) if elapsed > 0 else 0, "pid": os.getpid()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
