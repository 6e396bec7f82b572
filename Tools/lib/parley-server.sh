# Shared by Tools/load-smoke.sh and Tools/soak.sh (sourced, not run): start a real `parley` on
# loopback with fresh credentials, wait for it, stop it by its PID and check its exit status.
#
# The caller sets `bin` (where parley and parley-load are), `work` (a temporary directory) and
# `artifacts` (where logs are kept), defines `fail MESSAGE` (which must exit), and calls
# `parley_cleanup` from its EXIT trap. After `parley_start ARGS...`: `parley_pid`, `parley_port`,
# `parley_url`, `parley_secret`, `parley_admin` and `parley_log` are set.

parley_pid=""

# Binaries from `swift build --show-bin-path`, built first unless PARLEY_PREBUILT=1; PARLEY_BIN
# names another directory that holds both (and implies prebuilt).
parley_binaries() {
    local configuration="${1:-debug}"
    if [ -n "${PARLEY_BIN:-}" ]; then
        bin="$PARLEY_BIN"
    elif [ "${PARLEY_PREBUILT:-0}" != 1 ]; then
        swift build -c "$configuration" --product parley >/dev/null
        swift build -c "$configuration" --product parley-load >/dev/null
    fi
    [ -n "${PARLEY_BIN:-}" ] || bin="$(swift build -c "$configuration" --show-bin-path)"
    local tool
    for tool in parley parley-load; do
        if [ ! -x "$bin/$tool" ]; then
            echo "FAILED: $bin/$tool is missing (build it, or unset PARLEY_PREBUILT)" >&2
            exit 1
        fi
    done
}

# parley_start EXTRA_ARGS...: serves on a random loopback port with a fresh secret and admin key;
# fails (through `fail`) when /healthz does not answer within 15 s.
parley_start() {
    parley_secret="parley-test-secret-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    parley_admin="parley-test-admin-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    parley_port="${PARLEY_TEST_PORT:-$((20000 + RANDOM % 20000))}"
    parley_url="http://127.0.0.1:$parley_port"
    parley_log="$work/parley.log"
    "$bin/parley" serve --host 127.0.0.1 --port "$parley_port" --media-ip 127.0.0.1 \
        --secret "$parley_secret" --admin-key "$parley_admin" --recordings "$work/recordings" \
        --joins-per-second 1000 --drain-timeout 5 --log-level warning "$@" \
        >"$parley_log" 2>&1 &
    parley_pid=$!
    local _
    for _ in $(seq 1 150); do
        if curl -sf "$parley_url/healthz" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$parley_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail "parley did not answer $parley_url/healthz within 15 s"
}

# parley_stop: SIGTERM, then waits up to 15 s; fails unless parley exited 0.
parley_stop() {
    kill -TERM "$parley_pid"
    local stopped=0 _
    for _ in $(seq 1 150); do
        if ! kill -0 "$parley_pid" 2>/dev/null; then
            stopped=1
            break
        fi
        sleep 0.1
    done
    [ "$stopped" = 1 ] || fail "parley did not exit within 15 s of SIGTERM"
    local status
    set +e
    wait "$parley_pid"
    status=$?
    set -e
    parley_pid=""
    cp "$parley_log" "$artifacts/parley.log" 2>/dev/null || true
    [ "$status" = 0 ] || fail "parley exited $status after SIGTERM (expected 0)"
}

# parley_rss_kib: the server's resident set now, in KiB.
parley_rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$parley_pid/status"
}

# parley_cpu_ticks: the server's user + system CPU so far, in clock ticks (getconf CLK_TCK).
parley_cpu_ticks() {
    # Fields after the command name (which is in parentheses): utime and stime are 14 and 15.
    sed 's/^.*) //' "/proc/$parley_pid/stat" | awk '{ print $12 + $13 }'
}

# From the EXIT trap: kills a server still running (only ours, by PID).
parley_cleanup() {
    if [ -n "$parley_pid" ] && kill -0 "$parley_pid" 2>/dev/null; then
        kill -KILL "$parley_pid" 2>/dev/null || true
    fi
}
