#!/usr/bin/env bash
# Interop tests against real WebRTC stacks (aiortc, headless Chromium), each run inside its own
# loopback-only network namespace (../shared/INTEROP.md): no packet can leave the machine.
#
#   Tools/interop.sh            build parley, then run the aiortc scenarios and the page tests
#   Tools/interop.sh aiortc     only the aiortc scenarios
#   Tools/interop.sh page       only the meeting-page tests (Chromium)
#   Tools/interop.sh mixed-clients   only Chromium and aiortc in one room (with the join time)
#   Tools/interop.sh tls        only aiortc over https/wss (parley --tls-certificate/--tls-key)
#
# Needs root (unshare --net), python3 with aiortc 1.16.0/aioice 0.13.0/websockets (Tools/bootstrap.sh
# installs them) and, for the page tests, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
artifacts="${PARLEY_ARTIFACTS:-$PWD/.build/interop-artifacts}"
mkdir -p "$artifacts"

# Tools/test.sh has just built everything (with its own flags); building again with other flags
# would recompile the world, so it sets PARLEY_PREBUILT=1.
if [ "${PARLEY_PREBUILT:-0}" != 1 ]; then
    swift build --product parley >/dev/null
fi
parley="$(swift build --show-bin-path)/parley"

# Runs "$@" in a fresh namespace next to a parley started with the given room defaults; prints
# parley's log when the test fails.
in_namespace() {
    local name="$1"
    shift
    local work
    work="$(mktemp -d)"
    local secret="interop-secret-$(head -c 24 /dev/urandom | base64 | tr -d "/+=")"
    local admin="interop-admin-$(head -c 18 /dev/urandom | base64 | tr -d "/+=")"
    echo "== $name (namespace, logs in $artifacts/$name-parley.log)"
    set +e
    unshare --net -- bash -c '
        set -euo pipefail
        ip link set lo up
        work="$1"; parley="$2"; secret="$3"; admin="$4"; shift 4
        # PARLEY_INTEROP_DEVELOPMENT=1: the embedded default (a generated secret, the page gets
        # its tokens from the development endpoint), as a newcomer runs it.
        secret_flag=(--secret "$secret")
        [ "${PARLEY_INTEROP_DEVELOPMENT:-0}" = 1 ] && secret_flag=()
        # PARLEY_INTEROP_TLS=1: https and wss with a self-signed certificate made here; clients
        # trust it through SSL_CERT_FILE (Python and curl read it) and reach PARLEY_URL.
        tls_flags=()
        url=http://127.0.0.1:7880
        if [ "${PARLEY_INTEROP_TLS:-0}" = 1 ]; then
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
                -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
                -keyout "$work/tls-key.pem" -out "$work/tls-cert.pem" 2>/dev/null
            tls_flags=(--tls-certificate "$work/tls-cert.pem" --tls-key "$work/tls-key.pem")
            export SSL_CERT_FILE="$work/tls-cert.pem"
            url=https://127.0.0.1:7880
        fi
        "$parley" serve --host 127.0.0.1 --port 7880 --media-ip 127.0.0.1 --workers 2 \
            "${secret_flag[@]}" "${tls_flags[@]}" --admin-key "$admin" --recordings "$work/recordings" \
            >"$work/parley.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 100); do
            if curl -sf --cacert "${SSL_CERT_FILE:-/dev/null}" "$url/healthz" >/dev/null 2>&1; then break; fi
            sleep 0.1
        done
        set +e
        PARLEY_URL="$url" PARLEY_SECRET="$secret" PARLEY_ADMIN_KEY="$admin" PARLEY_RECORDINGS="$work/recordings" \
            timeout 600 "$@"
        status=$?
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        exit $status
    ' _ "$work" "$parley" "$secret" "$admin" "$@"
    local status=$?
    set -e
    cp "$work/parley.log" "$artifacts/$name-parley.log" 2>/dev/null || true
    if [ $status -ne 0 ]; then
        echo "interop: $name failed (exit $status); parley's log:" >&2
        tail -n 60 "$work/parley.log" >&2 || true
    fi
    rm -rf "$work"
    return $status
}

status=0
if [ "$what" = all ] || [ "$what" = aiortc ]; then
    in_namespace aiortc bash -c 'cd Tests/Interop && python3 aiortc_interop.py --http http://127.0.0.1:7880 \
        --secret "$PARLEY_SECRET" --admin-key "$PARLEY_ADMIN_KEY" --recordings "$PARLEY_RECORDINGS"' || status=1
fi
if [ "$what" = all ] || [ "$what" = page ]; then
    if [ -f Tests/Interop/page/page_test.py ]; then
        in_namespace page bash -c 'python3 Tests/Interop/page/page_test.py --url http://127.0.0.1:7880 \
            --secret "$PARLEY_SECRET" --admin-key "$PARLEY_ADMIN_KEY" --artifacts "'"$artifacts"'"' || status=1
        # The embedded default: the page fetches its own tokens, as after Tools/run.sh.
        PARLEY_INTEROP_DEVELOPMENT=1 in_namespace page-development bash -c 'python3 Tests/Interop/page/page_test.py \
            --url http://127.0.0.1:7880 --admin-key "$PARLEY_ADMIN_KEY" --checks forwarded,mixed \
            --artifacts "'"$artifacts"'/development"' || status=1
    fi
fi
if [ "$what" = all ] || [ "$what" = mixed-clients ]; then
    # Chromium (the meeting page) and aiortc in one forwarded room; writes the join time (token to
    # first forwarded packet) into $artifacts/chromium-aiortc/join-time.json.
    in_namespace chromium-aiortc bash -c 'cd Tests/Interop && python3 chromium_aiortc.py --url http://127.0.0.1:7880 \
        --secret "$PARLEY_SECRET" --artifacts "'"$artifacts"'/chromium-aiortc"' || status=1
fi
if [ "$what" = all ] || [ "$what" = tls ]; then
    # The forwarded scenario with signaling over wss and the admin API over https, the certificate
    # verified by the clients; plain http must not be served on the same port.
    PARLEY_INTEROP_TLS=1 in_namespace tls bash -c 'cd Tests/Interop && \
        ! curl -sf --max-time 5 http://127.0.0.1:7880/healthz >/dev/null && \
        curl -sf --max-time 5 --cacert "$SSL_CERT_FILE" "$PARLEY_URL/healthz" | grep -q ok && \
        python3 aiortc_interop.py --http "$PARLEY_URL" --secret "$PARLEY_SECRET" --admin-key "$PARLEY_ADMIN_KEY" \
            --recordings "$PARLEY_RECORDINGS" forwarded' || status=1
fi
exit $status
