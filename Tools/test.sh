#!/usr/bin/env bash
# The one command that tests Parley from a fresh clone: installs what is missing, checks the
# dependency rule and formatting, builds with warnings as errors, runs every test, replays the
# fuzz corpora with a short bounded fuzz pass, and checks the allocation thresholds of the
# benchmarks. Each step prints a heading; the first failure stops the run with its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "Installing system packages (if missing)"
Tools/bootstrap.sh

step "Soundness: formatting and the dependency rule"
Tools/soundness.sh

step "Building with warnings as errors"
swift build --build-tests -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error

step "Running the tests"
swift test --skip-build

if [ "${PARLEY_SKIP_INTEROP:-0}" != 1 ]; then
    step "Interop: aiortc and headless Chromium against a running parley, in loopback-only namespaces"
    PARLEY_PREBUILT=1 Tools/interop.sh
fi

if [ "${PARLEY_SKIP_LOAD:-0}" != 1 ]; then
    step "Load smoke: parley-load against a running parley (2 rooms of 3, then a mixed room)"
    PARLEY_PREBUILT=1 Tools/load-smoke.sh || {
        echo "test.sh: the load smoke test failed (see above; rerun alone with Tools/load-smoke.sh)" >&2
        exit 1
    }
fi

if [ "${PARLEY_SKIP_SOAK:-0}" != 1 ]; then
    step "Flood soak: one call (1 publisher, 9 subscribers) under 20 000 garbage datagrams/s for 60 s"
    PARLEY_PREBUILT=1 Tools/soak.sh || {
        echo "test.sh: the flood soak failed (see above; rerun alone with Tools/soak.sh)" >&2
        exit 1
    }
fi

if [ "${PARLEY_SKIP_FUZZ:-0}" != 1 ]; then
    step "Fuzzing: replaying the corpora, then a short bounded run per target"
    Tools/fuzz.sh ci
fi

if [ "${PARLEY_SKIP_BENCHMARKS:-0}" != 1 ]; then
    step "Benchmarks: allocation thresholds"
    Tools/benchmarks.sh check
fi

step "All checks passed in $(( $(date +%s) - started )) s"
