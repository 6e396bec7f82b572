#!/usr/bin/env bash
# Load smoke test: starts a real `parley` on loopback, runs `parley-load` against it for a few
# seconds and lets parley-load's pass/fail flags judge the run, then stops the server by its PID
# and checks that it exited 0.
#
#   Tools/load-smoke.sh            build parley and parley-load (debug), then run
#   PARLEY_PREBUILT=1 Tools/load-smoke.sh   use the binaries already in `swift build --show-bin-path`
#
# Runs: 2 forwarded rooms of 3 participants (zero loss, p99 bounded, every join succeeds), then
# one mixed room of 3 talkers with the mix-correctness check (each participant hears the others'
# frequency tags and not its own; a failed check fails the participant, so --min-join-success 1
# catches it; the mix is originated by the server and carries no sender timestamp, so that run
# has no latency bound). Every step is bounded by `timeout`; only loopback is used;
# only the PIDs this script started are signalled.
#
# PARLEY_LOAD_MAX_P99_MS overrides the p99 bound (default 100 ms: loopback latency is well under
# 5 ms on an idle machine; the margin is for a loaded 2-core CI runner and debug builds).
set -euo pipefail
cd "$(dirname "$0")/.."

source Tools/lib/parley-server.sh

max_p99="${PARLEY_LOAD_MAX_P99_MS:-100}"
artifacts="${PARLEY_ARTIFACTS:-$PWD/.build/load-smoke-artifacts}"
mkdir -p "$artifacts"
work="$(mktemp -d)"

cleanup() {
    parley_cleanup
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "" >&2
    echo "load-smoke: FAILED: $*" >&2
    echo "load-smoke: the last lines of parley's log ($artifacts/parley.log):" >&2
    cp "$work/parley.log" "$artifacts/parley.log" 2>/dev/null || true
    tail -n 40 "$work/parley.log" >&2 || true
    exit 1
}

parley_binaries debug
parley_start --workers 2
port="$parley_port"
secret="$parley_secret"
admin="$parley_admin"
echo "== load-smoke: parley on 127.0.0.1:$port (log: $artifacts/parley.log)"

run_load() {
    local name="$1"
    shift
    echo "== load-smoke: $name"
    set +e
    timeout -k 5 120 "$bin/parley-load" --url "ws://127.0.0.1:$port" --secret "$secret" \
        --json "$artifacts/$name.json" "$@"
    local status=$?
    set -e
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
        fail "parley-load ($name) did not finish within 120 s"
    elif [ $status -ne 0 ]; then
        fail "parley-load ($name) exited $status: a threshold was broken or the run could not start (figures in $artifacts/$name.json)"
    fi
}

run_load forwarded --rooms 2 --participants 3 --duration 4 --ramp 20 --room-prefix smoke \
    --max-loss 0 --max-p99-ms "$max_p99" --min-join-success 1

run_load mixed --rooms 1 --participants 3 --talkers 3 --duration 4 --ramp 20 --room-prefix smoke-mixed \
    --admin-key "$admin" --audio-mode mixed --mix-check-per-room 3 \
    --max-loss 0 --min-join-success 1

echo "== load-smoke: stopping parley (PID $parley_pid)"
parley_stop
echo "== load-smoke: passed (forwarded and mixed runs, parley exited 0)"
