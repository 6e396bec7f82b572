#!/usr/bin/env bash
# Parley's benchmarks (the Benchmarks/ package, ordo-one/benchmark).
#
#   Tools/benchmarks.sh run       every benchmark: times, throughput and allocation counts
#   Tools/benchmarks.sh check     allocation counts against Benchmarks/Thresholds (what CI runs)
#   Tools/benchmarks.sh update    rewrite Benchmarks/Thresholds from a fresh run
#
# Only `mallocCountTotal` is gated: times on a shared 2-core machine move too much to gate on.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
export SWIFT_DETERMINISTIC_HASHING=1

case "${1:-run}" in
run)
    shift || true
    swift package benchmark --no-progress "$@"
    ;;
check)
    set +e
    swift package benchmark thresholds check --metric mallocCountTotal --no-progress
    status=$?
    set -e
    case $status in
    0) echo "benchmarks: allocation counts equal the thresholds" ;;
    4) echo "benchmarks: allocation counts improved; run 'Tools/benchmarks.sh update' and commit Benchmarks/Thresholds" ;;
    *)
        echo "benchmarks: allocation counts regressed against Benchmarks/Thresholds (exit $status)" >&2
        exit 1
        ;;
    esac
    ;;
update)
    swift package --allow-writing-to-package-directory benchmark thresholds update \
        --metric mallocCountTotal --no-progress
    ;;
*)
    echo "usage: Tools/benchmarks.sh run|check|update" >&2
    exit 2
    ;;
esac
