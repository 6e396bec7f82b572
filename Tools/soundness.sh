#!/usr/bin/env bash
# Mechanical checks CI runs before building: formatting, and the dependency rule of DESIGN.md
# (which module may import what; no Foundation on the hot path; each C module imported by exactly
# one Swift module, as `internal import`). Prints every violation, exits 1 if there was one.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
fail() {
    echo "soundness: $*" >&2
    status=1
}

# 1. Formatting, with the committed .swift-format.
format_paths=(Package.swift Sources Tests)
[ -d Tools/LoadGenerator ] && format_paths+=(Tools/LoadGenerator)
[ -d Benchmarks/Benchmarks ] && format_paths+=(Benchmarks/Package.swift Benchmarks/Benchmarks)
if ! lint=$(swift format lint --strict --recursive "${format_paths[@]}" 2>&1) || [ -n "$lint" ]; then
    fail "swift format lint --strict found problems (fix with: swift format format -i -r ${format_paths[*]}):"
    echo "$lint" | head -50 >&2
fi

# 2. The import allow-list: module -> what it may import (DESIGN.md, "Dependency rule").
#    Standard library modules every Swift file may use are listed in `always`.
always="Swift _Concurrency Synchronization"
declare -A allowed=(
    [RTCWire]=""
    [RTCSecurity]="RTCWire NIOCore COpenSSL CSRTP Glibc"
    [RTCAudio]="RTCWire NIOCore COpus COgg"
    [Conference]="RTCWire RTCSecurity Logging Metrics"
    [MediaRelay]="RTCWire RTCSecurity RTCAudio Conference NIOCore NIOPosix Logging Metrics ServiceLifecycle CRelaySocket Glibc"
    [RTCTestSupport]="MediaRelay RTCSecurity RTCWire RTCAudio Glibc"
    [Signaling]="Conference RTCWire Hummingbird HummingbirdCore HummingbirdWebSocket HTTPTypes JWTKit Logging Metrics NIOCore NIOWebSocket Foundation"
    [ParleyServer]="RTCWire RTCSecurity RTCAudio Conference MediaRelay Signaling ArgumentParser Logging Metrics Prometheus ServiceLifecycle UnixSignals Hummingbird HummingbirdTLS NIOSSL Foundation Dispatch"
)
hot_path="RTCWire RTCSecurity RTCAudio MediaRelay"

for dir in Sources/*/; do
    module=$(basename "$dir")
    case "$module" in C*) { [ -f "$dir/module.modulemap" ] || [ -d "$dir/include" ]; } && continue ;; esac
    if [ -z "${allowed[$module]+set}" ]; then
        fail "Sources/$module is not in the dependency rule: add it to DESIGN.md and to Tools/soundness.sh"
        continue
    fi
    while IFS=: read -r file line text; do
        imported=$(sed -E 's/^[[:space:]]*(@[_A-Za-z]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+((class|struct|enum|protocol|func|var|let|typealias)[[:space:]]+)?([A-Za-z0-9_]+).*/\6/' <<<"$text")
        ok=0
        for name in $always ${allowed[$module]}; do
            [ "$name" = "$imported" ] && ok=1
        done
        if [ $ok -eq 0 ]; then
            fail "$file:$line: $module may not import $imported (allowed: ${allowed[$module]:-nothing})"
        fi
        if [ "$imported" = "Foundation" ] && [[ " $hot_path " == *" $module "* ]]; then
            fail "$file:$line: $module is on the hot path and must not import Foundation"
        fi
    done < <(grep -rnE '^[[:space:]]*(@[_A-Za-z]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]' "$dir" --include='*.swift' || true)
done

# 3. Each C module is imported by exactly one Swift module, and only as `internal import`.
for cdir in Sources/C*/; do
    cmodule=$(basename "$cdir")
    [ -f "$cdir/module.modulemap" ] || [ -d "$cdir/include" ] || continue
    importers=$(grep -rlE "import[[:space:]]+$cmodule\b" Sources --include='*.swift' | cut -d/ -f2 | sort -u)
    count=$(grep -c . <<<"$importers" || true)
    if [ "$count" -gt 1 ]; then
        fail "$cmodule is imported by more than one module: $(echo $importers)"
    fi
    while IFS= read -r hit; do
        [ -n "$hit" ] && fail "$hit: import $cmodule as 'internal import' (no C type in a public API)"
    done < <(grep -rnE "^[[:space:]]*(public[[:space:]]+|@_exported[[:space:]]+)?import[[:space:]]+$cmodule\b" Sources --include='*.swift' | grep -v "internal import" || true)
done

if [ $status -eq 0 ]; then
    echo "soundness: format, import allow-list and C module ownership are clean"
fi
exit $status
