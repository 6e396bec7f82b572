#!/usr/bin/env bash
# The flood soak of SECURITY.md ("floods"): one real call through a running `parley` (1 publisher,
# 9 subscribers, all through the WebSocket signaling, ICE, DTLS and SRTP, by parley-load) while
# Tools/flood.py sends 20 000 garbage datagrams per second (random bytes, STUN-, DTLS-, RTP- and
# RTCP-shaped junk, oversized datagrams, from 256 source ports) to the same media port. Passes when
# the call loses < 1 % of its packets, its p99 one-way latency stays < 20 ms (parley-load's
# pass/fail flags), the server's RSS grows < 10 MB from 10 s into the run to its end, and the
# server is still up and exits 0 on SIGTERM.
#
#   Tools/soak.sh                          builds (debug) and runs for 60 s
#   PARLEY_PREBUILT=1 Tools/soak.sh        uses binaries already built (as Tools/test.sh does)
#   SOAK_SECONDS=20 SOAK_CONFIGURATION=release Tools/soak.sh
#
# Settings: SOAK_SECONDS (60), SOAK_RATE (20000 datagrams/s), SOAK_MAX_LOSS (0.01),
# SOAK_MAX_P99_MS (20), SOAK_MAX_RSS_GROWTH_KIB (10240), SOAK_CONFIGURATION (debug).
# Loopback only; every process it starts ends by itself in bounded time and the exit trap kills
# only those, by PID. Logs and parley-load's JSON land in .build/soak-artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/lib/parley-server.sh

seconds="${SOAK_SECONDS:-60}"
rate="${SOAK_RATE:-20000}"
max_loss="${SOAK_MAX_LOSS:-0.01}"
max_p99="${SOAK_MAX_P99_MS:-20}"
max_growth="${SOAK_MAX_RSS_GROWTH_KIB:-10240}"
artifacts="${PARLEY_ARTIFACTS:-$PWD/.build/soak-artifacts}"
mkdir -p "$artifacts"
: >"$artifacts/rss-kib.txt"
work="$(mktemp -d)"
flood_pid=""
load_pid=""

cleanup() {
    for pid in "$load_pid" "$flood_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    parley_cleanup
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "" >&2
    echo "soak: FAILED: $*" >&2
    cp "$work/parley.log" "$artifacts/parley.log" 2>/dev/null || true
    echo "soak: the last lines of parley's log ($artifacts/parley.log):" >&2
    tail -n 30 "$work/parley.log" >&2 || true
    exit 1
}

parley_binaries "${SOAK_CONFIGURATION:-debug}"
media_port=$((30000 + RANDOM % 10000))
echo "== soak: parley with one relay worker on UDP 127.0.0.1:$media_port"
parley_start --workers 1 --media-ports "$media_port-$media_port"

# The flood starts first, so the call is set up under it too, and outlasts the call.
python3 Tools/flood.py --port "$media_port" --rate "$rate" --seconds "$((seconds + 15))" \
    >"$artifacts/flood.json" 2>"$artifacts/flood.log" &
flood_pid=$!
sleep 1

echo "== soak: 1 publisher + 9 subscribers for ${seconds}s under ${rate} garbage datagrams/s"
timeout -k 5 "$((seconds + 60))" "$bin/parley-load" --url "ws://127.0.0.1:$parley_port" \
    --secret "$parley_secret" --rooms 1 --participants 10 --talkers 1 --listeners \
    --duration "$seconds" --ramp 20 --room-prefix soak --json "$artifacts/soak.json" \
    --max-loss "$max_loss" --max-p99-ms "$max_p99" --min-join-success 1 \
    >"$artifacts/parley-load.log" 2>&1 &
load_pid=$!

cpu_start="$(parley_cpu_ticks)"
# RSS every 2 s; the baseline is the first sample 10 s in (joined, buffers warm).
baseline=""
last=""
elapsed=0
while kill -0 "$load_pid" 2>/dev/null; do
    sleep 2
    elapsed=$((elapsed + 2))
    kill -0 "$parley_pid" 2>/dev/null || fail "parley died during the soak"
    last="$(parley_rss_kib)"
    echo "$elapsed $last" >>"$artifacts/rss-kib.txt"
    if [ -z "$baseline" ] && [ "$elapsed" -ge 10 ]; then
        baseline="$last"
    fi
done
set +e
wait "$load_pid"
load_status=$?
set -e
load_pid=""
cpu_ticks=$(($(parley_cpu_ticks) - cpu_start))
cat "$artifacts/parley-load.log"
echo "== soak: parley used $((cpu_ticks * 1000 / $(getconf CLK_TCK))) ms of CPU in ${elapsed} s (relay, signaling and the flood's garbage)"
if [ "$load_status" -ne 0 ]; then
    fail "parley-load exited $load_status: loss over $max_loss, p99 over ${max_p99} ms, a failed join, or a timeout (figures in $artifacts/soak.json)"
fi

kill -0 "$parley_pid" 2>/dev/null || fail "parley died during the soak"
[ -n "$baseline" ] || fail "the run ended before the RSS baseline (10 s in) was taken"
growth=$((last - baseline))
echo "== soak: parley RSS ${baseline} KiB at 10 s, ${last} KiB at the end: growth ${growth} KiB (limit ${max_growth})"
[ "$growth" -lt "$max_growth" ] || fail "parley's RSS grew ${growth} KiB during the soak (limit ${max_growth} KiB)"

kill -TERM "$flood_pid" 2>/dev/null || true
wait "$flood_pid" 2>/dev/null || true
flood_pid=""
echo "== soak: flood: $(cat "$artifacts/flood.json" 2>/dev/null || echo 'no summary')"
parley_stop
echo "== soak: passed (loss < $max_loss, p99 < ${max_p99} ms, RSS growth ${growth} KiB, parley exited 0)"
