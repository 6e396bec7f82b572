#!/usr/bin/env bash
# libFuzzer targets for Parley's parsers (Tests/Fuzz/<Target>), built with AddressSanitizer.
#
#   Tools/fuzz.sh build           build every target into .build-fuzz
#   Tools/fuzz.sh replay          run every seed-corpus and regression input once
#   Tools/fuzz.sh run [RUNS]      fuzz each target for RUNS runs (default 10^6), seed 1
#   Tools/fuzz.sh ci              build, replay, then a short bounded run per target
#
# New interesting inputs go to a temporary folder, never into the committed corpus. A crash input
# is written to Tests/Fuzz/Regressions/<Target>/: commit it with the fix, and every later run
# replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a targets <<<"${PARLEY_FUZZ_TARGETS:-FuzzRTP FuzzRTCP FuzzSTUN FuzzSDP}"
scratch=.build-fuzz
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}

build() {
    for target in "${targets[@]}"; do
        swift build -c release --product "$target" --sanitize=fuzzer \
            -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --scratch-path "$scratch"
    done
}

binary() {
    echo "$scratch/release/$1"
}

replay() {
    for target in "${targets[@]}"; do
        local dirs=()
        for dir in "Tests/Fuzz/Corpus/$target" "Tests/Fuzz/Regressions/$target"; do
            [ -d "$dir" ] && dirs+=("$dir")
        done
        local count
        count=$(find "${dirs[@]}" -type f ! -name '.gitkeep' | wc -l)
        echo "fuzz: replaying $count inputs for $target"
        "$(binary "$target")" -runs=0 "${dirs[@]}" 2>&1 | tail -n 2
    done
}

run() {
    local runs=$1
    local max_time=${2:-0}
    for target in "${targets[@]}"; do
        local work
        work=$(mktemp -d)
        mkdir -p "Tests/Fuzz/Regressions/$target"
        # Datagrams are at most 1500 bytes; an SDP offer with video is several KiB.
        local max_len=1500
        [ "$target" = FuzzSDP ] && max_len=8192
        echo "fuzz: $target, $runs runs, inputs up to $max_len bytes"
        "$(binary "$target")" -seed=1 -runs="$runs" -max_len="$max_len" -max_total_time="$max_time" \
            -artifact_prefix="Tests/Fuzz/Regressions/$target/" -print_final_stats=1 \
            "$work" "Tests/Fuzz/Corpus/$target" 2>&1 | grep -E 'Done|stat::number_of_executed_units|ERROR|SUMMARY' || true
        # libFuzzer exits non-zero on a crash; with the pipe above, check for an artifact instead.
        if find "Tests/Fuzz/Regressions/$target" -newer "$work" -type f | grep -q .; then
            echo "fuzz: $target found a crash; the input is in Tests/Fuzz/Regressions/$target/" >&2
            rm -rf "$work"
            exit 1
        fi
        rm -rf "$work"
    done
}

case "${1:-ci}" in
build) build ;;
replay) replay ;;
run) run "${2:-1000000}" ;;
ci)
    build
    replay
    # Bounded in count and in time, so CI's duration does not depend on the machine's mood.
    run "${PARLEY_FUZZ_RUNS:-200000}" 120
    ;;
*)
    echo "usage: Tools/fuzz.sh build|replay|run [RUNS]|ci" >&2
    exit 2
    ;;
esac
