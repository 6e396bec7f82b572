#!/usr/bin/env bash
# Runs the meeting-page browser test (page_test.py) and the server it tests inside a fresh network
# namespace whose only interface is loopback: nothing can leave the machine.
#
# usage: Tests/Interop/page/run.sh --url http://127.0.0.1:PORT [page_test.py options] -- SERVER COMMAND...
#
# The server command must listen on the address in --url. The script waits (at most 60 s) for
# GET /healthz, runs the driver, then stops the server by its PID (TERM, then KILL after 10 s).
# The server's output goes to ARTIFACTS/server.log (ARTIFACTS from --artifacts, default ./artifacts).
# Exit code: the driver's (0 all checks passed, 1 a check failed), 2 for usage or a server that did
# not come up. Needs root (unshare --net), python3 with `websockets`, and chromium.
#
# Examples:
#   Tests/Interop/page/run.sh --url http://127.0.0.1:8080 --admin-key KEY --artifacts .build/page-artifacts \
#       -- .build/debug/parley serve ...
#   # the protocol mock (no media): signaling checks only
#   Tests/Interop/page/run.sh --url http://127.0.0.1:8090 --admin-key mock-admin-key --signaling-only \
#       -- python3 Tests/Interop/page/mock_server.py --port 8090
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -z "${PARLEY_PAGE_TEST_IN_NETNS:-}" ]; then
  exec unshare --net -- env PARLEY_PAGE_TEST_IN_NETNS=1 bash "$0" "$@"
fi

usage() {
  sed -n '5p' "$0" >&2
  exit 2
}

ip link set lo up || { echo "run.sh: cannot bring lo up (needs root)" >&2; exit 2; }

driver_args=()
url=""
artifacts="artifacts"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --url) url="${2:-}"; driver_args+=("$1" "${2:-}"); shift 2; continue ;;
    --url=*) url="${1#--url=}" ;;
    --artifacts) artifacts="${2:-}"; driver_args+=("$1" "${2:-}"); shift 2; continue ;;
    --artifacts=*) artifacts="${1#--artifacts=}" ;;
  esac
  driver_args+=("$1")
  shift
done
[ "${1:-}" = "--" ] || usage
shift
[ $# -gt 0 ] && [ -n "$url" ] || usage
case "$artifacts" in --*) usage ;; esac

mkdir -p "$artifacts"
"$@" >"$artifacts/server.log" 2>&1 &
server_pid=$!

stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null
  fi
  wait "$server_pid" 2>/dev/null
}
trap stop_server EXIT

up=0
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: the server exited before it was up; see $artifacts/server.log" >&2
    tail -n 20 "$artifacts/server.log" >&2
    exit 2
  fi
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1].rstrip("/") + "/healthz", timeout=2)' "$url" 2>/dev/null; then
    up=1
    break
  fi
  sleep 0.5
done
if [ "$up" != 1 ]; then
  echo "run.sh: no answer from $url/healthz within 60 s; see $artifacts/server.log" >&2
  exit 2
fi

PYTHONDONTWRITEBYTECODE=1 python3 "$here/page_test.py" "${driver_args[@]}"
exit $?
