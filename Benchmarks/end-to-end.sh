#!/usr/bin/env bash
# End-to-end benchmark: a release `parley` pinned to core 0 (one relay worker), a release
# `parley-load` pinned to core 1, and the scenarios of issue 7, one fresh server per scenario:
#
#   room10        one forwarded room of 10, everyone talking
#   rooms10x10    10 forwarded rooms of 10, everyone talking
#   mixed200      one mixed room of 200, 3 talkers (3 speakers mixed), the others send quiet noise
#   mixed1000     one mixed room of 1000, 3 talkers, 997 listeners (recvonly, `--listeners`)
#
# Per scenario it prints the load held (participants connected, packets per second in and out),
# loss, mean jitter, one-way p99 latency, join time p95, the server's CPU and RSS per participant
# (from /proc/PID/stat utime+stime and /proc/PID/status VmRSS, sampled over the steady state) and
# the generator's own CPU.
#
#   Benchmarks/end-to-end.sh                      build release binaries, run every scenario
#   Benchmarks/end-to-end.sh room10 mixed200      only these scenarios
#   PARLEY_PREBUILT=1 Benchmarks/end-to-end.sh    use the release binaries already built
#   BENCH_DURATION=15 Benchmarks/end-to-end.sh    seconds of steady state per scenario (default 15)
#   BENCH_BIN=.build/debug Benchmarks/end-to-end.sh   binaries from this directory (no build)
#
# Loopback only; every process is started and stopped by this script by PID; every step is
# bounded by `timeout`. Figures and logs go to $BENCH_OUT (default .build/end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_DURATION:-15}"
out="${BENCH_OUT:-$PWD/.build/end-to-end}"
server_cpu="${BENCH_SERVER_CPU:-0}"
load_cpu="${BENCH_LOAD_CPU:-1}"
mkdir -p "$out"

if [ -n "${BENCH_BIN:-}" ]; then
    bin="$BENCH_BIN"
else
    if [ "${PARLEY_PREBUILT:-0}" != 1 ]; then
        echo "== building release binaries (a cold build takes 10-15 minutes)"
        swift build -c release --product parley
        swift build -c release --product parley-load
    fi
    bin="$(swift build -c release --show-bin-path)"
fi
for tool in parley parley-load; do
    [ -x "$bin/$tool" ] || { echo "end-to-end: $bin/$tool is missing" >&2; exit 1; }
done

ticks="$(getconf CLK_TCK)"
secret="bench-secret-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
admin="bench-admin-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
server_pid=""
load_pid=""

cleanup() {
    for pid in "$load_pid" "$server_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}
trap cleanup EXIT

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Resident set size in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
now_ns() { date +%s%N; }

# run_scenario NAME ROOMS PARTICIPANTS TALKERS MODE RAMP SETTLE [parley-load flags...]
# SETTLE: seconds after the last join before the CPU/RSS window opens (joins still completing).
run_scenario() {
    local name="$1" rooms="$2" participants="$3" talkers="$4" mode="$5" ramp="$6" settle="$7"
    shift 7
    local extra=("$@")
    local total=$((rooms * participants))
    local port=$((30000 + RANDOM % 20000))
    local log="$out/$name-parley.log"
    echo "== $name: $rooms room(s) x $participants, $talkers talker(s) per room, $mode, ramp $ramp/s, ${duration} s steady"
    taskset -c "$server_cpu" "$bin/parley" serve --host 127.0.0.1 --port "$port" --media-ip 127.0.0.1 \
        --workers 1 --secret "$secret" --admin-key "$admin" --recordings "$out/recordings" \
        --joins-per-second 100000 --max-participants $((participants + 16)) --max-rooms 1000 \
        --drain-timeout 5 --log-level warning >"$log" 2>&1 &
    server_pid=$!
    local ready=0
    for _ in $(seq 1 100); do
        if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ready=1; break; fi
        sleep 0.1
    done
    if [ "$ready" != 1 ]; then
        echo "$name: parley did not start (log $log)" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    local idle_rss
    idle_rss="$(rss_kib "$server_pid")"
    local mode_flags=()
    if [ "$mode" = mixed ]; then
        mode_flags=(--admin-key "$admin" --audio-mode mixed)
    fi
    local ramp_seconds
    ramp_seconds="$(awk -v n="$total" -v r="$ramp" 'BEGIN { printf "%d", n / r + 0.999 }')"
    taskset -c "$load_cpu" timeout -k 5 $((ramp_seconds + duration + 120)) "$bin/parley-load" \
        --url "ws://127.0.0.1:$port" --secret "$secret" --rooms "$rooms" --participants "$participants" \
        --talkers "$talkers" --duration "$duration" --ramp "$ramp" --room-prefix "$name" --cpu "$load_cpu" \
        "${mode_flags[@]}" "${extra[@]}" --json "$out/$name.json" >"$out/$name-load.log" 2>&1 &
    load_pid=$!
    # `timeout` forks parley-load: measure the child.
    local generator_pid=""
    for _ in $(seq 1 50); do
        generator_pid="$(pgrep -P "$load_pid" -n || true)"
        [ -n "$generator_pid" ] && break
        sleep 0.1
    done
    generator_pid="${generator_pid:-$load_pid}"
    # Sample the steady state: from SETTLE s after the last join to 2 s before the end.
    sleep $((ramp_seconds + settle))
    local s0 l0 t0 s1 l1 t1 rss
    s0="$(cpu_ticks "$server_pid")"
    l0="$(cpu_ticks "$generator_pid")"
    t0="$(now_ns)"
    sleep $((duration - settle > 3 ? duration - settle - 2 : 1))
    s1="$(cpu_ticks "$server_pid")"
    l1="$(cpu_ticks "$generator_pid")"
    t1="$(now_ns)"
    rss="$(rss_kib "$server_pid")"
    set +e
    wait "$load_pid"
    local load_status=$?
    set -e
    load_pid=""
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    if [ ! -f "$out/$name.json" ]; then
        echo "$name: parley-load exited $load_status without figures (log $out/$name-load.log)" >&2
        tail -n 20 "$out/$name-load.log" >&2
        return 1
    fi
    python3 - "$out/$name.json" "$name" "$total" "$ticks" "$s0" "$s1" "$l0" "$l1" "$t0" "$t1" "$rss" "$idle_rss" \
        "$out/$name-load.log" >>"$out/results.txt" <<'PY'
import json, re, sys
path, name, total, ticks = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s0, s1, l0, l1, t0, t1, rss, idle = (int(v) for v in sys.argv[5:13])
figures = json.load(open(path))
# The load held: the last progress line of the steady state (connected, pps over its last second).
held, out_pps, in_pps = 0, 0.0, 0.0
for line in open(sys.argv[13]):
    match = re.search(r"connected (\d+)/\d+ .*out (\d+) pps in (\d+) pps", line)
    if match:
        held, out_pps, in_pps = int(match[1]), float(match[2]), float(match[3])
t = figures["total"]
seconds = max((t1 - t0) / 1e9, 0.001)
server_cpu = (s1 - s0) / ticks / seconds * 100
load_cpu = (l1 - l0) / ticks / seconds * 100
print(
    f"{name:<11} {held:>5}/{total:<5} {t['succeeded']:>5} {out_pps:>8.0f} {in_pps:>8.0f} "
    f"{t['lossPercent']:>7.3f} {t['jitterMeanMilliseconds']:>7.2f} {t['latency']['p50']:>7.2f} {t['latency']['p99']:>7.2f} "
    f"{t['joinTime']['p95']:>8.0f} {server_cpu:>7.1f} {server_cpu / total:>8.3f} {rss / 1024:>7.1f} "
    f"{max(rss - idle, 0) / total:>8.1f} {load_cpu:>7.1f} "
    f"{t['mixPassed']}/{t['mixChecked']}"
)
PY
}

header() {
    printf '%-11s %11s %5s %8s %8s %7s %7s %7s %7s %8s %7s %8s %7s %8s %7s %s\n' \
        scenario held ok "out pps" "in pps" "loss %" "jit ms" "p50 ms" "p99 ms" "join p95" \
        "srv CPU%" "CPU%/p" "RSS MiB" "KiB/p" "gen CPU%" mix
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(room10 rooms10x10 mixed200 mixed1000)
: >"$out/results.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in "${scenarios[@]}"; do
    case "$scenario" in
        room10) run_scenario room10 1 10 10 forwarded 20 2 || true ;;
        rooms10x10) run_scenario rooms10x10 10 10 10 forwarded 50 3 || true ;;
        # The 197 quiet participants send low-level noise (their microphones are open).
        mixed200) run_scenario mixed200 1 200 3 mixed 50 4 || true ;;
        # The 997 others only listen (recvonly: no track, no media sent).
        mixed1000) run_scenario mixed1000 1 1000 3 mixed 100 5 --listeners || true ;;
        *) echo "unknown scenario $scenario (room10, rooms10x10, mixed200, mixed1000)" >&2; exit 2 ;;
    esac
done
echo
header
cat "$out/results.txt"
echo "(held: connected at the last progress line of the steady state, with its packets per second out and in;"
echo " ok: participants that joined and passed every check over the whole run;"
echo " CPU and RSS: the server process over the steady state; KiB/p: RSS above the idle server per participant;"
echo " gen CPU%: the parley-load process; figures and logs in $out; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
