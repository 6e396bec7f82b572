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
    # ordo-one/benchmark 1.38.1 fails with the same exit status whether counts went up or down,
    # so the verdict is read from its report. Fewer allocations also fail: the thresholds are
    # exact, and a gate left loose would let the next regression through unnoticed.
    report="$(mktemp)"
    set +e
    swift package benchmark thresholds check --metric mallocCountTotal --no-progress 2>&1 | tee "$report"
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -eq 0 ]; then
        echo "benchmarks: allocation counts equal the thresholds"
    elif grep -q "BETTER than the defined thresholds" "$report" && ! grep -q "WORSE than the defined thresholds" "$report"; then
        echo "benchmarks: allocation counts went DOWN against Benchmarks/Thresholds (good): run 'Tools/benchmarks.sh update' and commit Benchmarks/Thresholds so the gate stays exact" >&2
        rm -f "$report"
        exit 1
    else
        echo "benchmarks: allocation counts went UP against Benchmarks/Thresholds (exit $status): the tables above name the benchmark; find the new allocation, or run 'Tools/benchmarks.sh update' if it is intended" >&2
        rm -f "$report"
        exit 1
    fi
    rm -f "$report"
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
