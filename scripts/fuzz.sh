#!/usr/bin/env bash
# Builds the libFuzzer binary for the Nightshift fuzz targets and runs each target for a bounded time.
#
#   scripts/fuzz.sh [target ...]        build, then run the targets (default: all) for FUZZ_SECONDS each
#   scripts/fuzz.sh --build             build only
#
# The target bodies are the library NightshiftFuzzTargets, built by SwiftPM into .build/fuzz with coverage
# instrumentation and AddressSanitizer (a build path of its own, so the normal build never sees sanitizers). One
# binary, linked from those objects and fuzz/main.c, serves every target through links named fuzz-<target>.
# New corpus entries go to a scratch directory (FUZZ_SCRATCH, default .build/fuzz/scratch); crash inputs are copied
# to fuzz/crashes/<target>/, and the script fails if any target crashed. Replay one input with
#   .build/fuzz/bin/fuzz-<target> <file>
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
CC=${CC:-cc}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
BUILD=.build/fuzz
BIN=$BUILD/bin
SCRATCH=${FUZZ_SCRATCH:-$BUILD/scratch}
TARGETS=(json config-loader config-schema event-spool plugin-info alpaca-stream alpaca-broker open-meteo
    kalshi-markets kalshi-broker)

build() {
    mkdir -p "$BIN"
    # One combined flag: with SwiftPM's --sanitize=fuzzer --sanitize=address the per-file compile jobs get only the
    # address sanitizer, and libFuzzer sees no coverage.
    if ! "$SWIFT" build --build-path "$BUILD" --target NightshiftFuzzTargets -Xswiftc -sanitize=fuzzer,address \
        >"$BIN/build.log" 2>&1; then
        grep -E 'error' "$BIN/build.log" >&2 || tail -20 "$BIN/build.log" >&2
        return 1
    fi
    "$CC" -c -O1 -Wall -o "$BIN/main.o" fuzz/main.c
    # Every object SwiftPM built for the library and its dependencies (the debug folder holds only those).
    find "$BUILD/debug/" -name '*.o' >"$BIN/objects.txt"
    # lld links quietly; gold works too but warns about every ASan helper symbol.
    "$SWIFT"c -sanitize=fuzzer,address -use-ld=lld "$BIN/main.o" $(cat "$BIN/objects.txt") -o "$BIN/nightshift-fuzz"
    for target in "${TARGETS[@]}"; do ln -sf nightshift-fuzz "$BIN/fuzz-$target"; done
}

# The dictionary for a target's tokens, if it has one.
dictionary() {
    case $1 in
    config-loader | config-schema) echo fuzz/dict/yaml.dict ;;
    json | event-spool | alpaca-broker | open-meteo | kalshi-markets | kalshi-broker) echo fuzz/dict/json.dict ;;
    alpaca-stream) echo fuzz/dict/alpaca-stream.dict ;;
    esac
}

# Runs one target; prints its figures; returns non-zero when it crashed.
run() {
    local target=$1 corpus="$SCRATCH/corpus/$1" artifacts="$SCRATCH/artifacts/$1" log="$SCRATCH/$1.log"
    local dict options=()
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    dict=$(dictionary "$target")
    [[ -n $dict ]] && options+=("-dict=$dict")
    local started=$SECONDS status=0
    # Leak checks are off: the Swift runtime's lazily built metadata caches read as leaks to LeakSanitizer. The Swift
    # backtracer is off: it reads the crashed stack in a way AddressSanitizer reports as a second error.
    ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$BIN/fuzz-$target" "${options[@]}" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "fuzz/corpus/$target" \
        >"$log" 2>&1 || status=$?
    local last runs rate cov ft corp crashes
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
    crashes=$(find "$artifacts" -type f | wc -l)
    printf '%-15s runs %-10s exec/s %-7s corpus %-6s cov %-6s ft %-6s time %ss crashes %s\n' \
        "$target" "${runs:-?}" "${rate:-?}" "${corp:-?}" "${cov:-?}" "${ft:-?}" $((SECONDS - started)) "$crashes"
    if ((crashes > 0)); then
        mkdir -p "fuzz/crashes/$target"
        cp "$artifacts"/* "fuzz/crashes/$target/"
        echo "  crash inputs copied to fuzz/crashes/$target/; log: $log" >&2
        grep -m3 -E 'ERROR|Fatal error|Precondition failed|SUMMARY' "$log" | sed 's/^/  /' >&2 || true
        return 1
    fi
    if ((status != 0)); then
        echo "  $target exited with $status without a crash input; log: $log" >&2
        return 1
    fi
}

if [[ ${1:-} == --build ]]; then
    build
    exit 0
fi
(($# > 0)) && TARGETS=("$@")
build
failed=0
for target in "${TARGETS[@]}"; do run "$target" || failed=1; done
exit $failed
