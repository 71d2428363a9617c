#!/usr/bin/env bash
# The leak check (`make leaks`): the soak deployment (scripts/soak/soak.yaml, both bots and the flaky plugin) for a
# short run with faults, the host under valgrind's memcheck, then a verdict on definite leaks.
#
#   scripts/with-postgres.sh scripts/leaks/leaks.sh          (LEAKS_SECONDS, default 60; LEAKS_SEED, default 1)
#   LEAKS_TOOL=asan scripts/with-postgres.sh scripts/leaks/leaks.sh   (AddressSanitizer build in .build/asan instead)
#
# Every fault kind of the soak is scheduled except the host SIGKILL (a killed process writes no leak report); the
# PostgreSQL outage, stream faults, HTTP faults and plugin throws exercise the error paths. Valgrind 3.19 cannot read
# the DWARF 5 the Swift 6 toolchain writes, so the binary and plugins are copied without their debug sections (their
# symbol tables stay: stacks show mangled Swift names, which name the module). scripts/leaks/valgrind_report.py
# sums the lost bytes by origin and fails on a definite leak with a frame from Sources/ or plugins/ that
# scripts/leaks/valgrind.supp does not suppress.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${LEAKS_SECONDS:-60}
seed=${LEAKS_SEED:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/nightshift-leaks.XXXXXX")
# The logs stay when the check fails (their full stacks are the evidence); a pass removes them.
kinds=http_5xx,http_429,http_timeout,http_garbage,stream_drop,stream_flap,stream_silence,pg_stop,plugin_throw
run_soak() {
    python3 scripts/soak/soak.py --seconds "$seconds" --seed "$seed" --kinds "$kinds" --work "$work/soak" \
        --self-stop --fault-start 25 --stop-timeout 180 --summary "$work/summary.json" "$@"
}
status=0
verdict=0
if [ "${LEAKS_TOOL:-valgrind}" = asan ]; then
    # LeakSanitizer runs when the instrumented host exits; each process that leaked writes $work/asan.<pid>.
    swift build --sanitize=address --build-path .build/asan
    products=$(swift build --sanitize=address --build-path .build/asan --show-bin-path)
    ASAN_OPTIONS="detect_leaks=1:log_path=$work/asan" LSAN_OPTIONS="suppressions=$PWD/scripts/leaks/lsan.supp" \
        run_soak --bin "$products/nightshift" --products "$products" || status=$?
    echo
    echo "== LeakSanitizer (soak checks exited $status)"
    python3 scripts/leaks/asan_report.py $(ls "$work"/asan.* 2>/dev/null) || verdict=$?
else
    mkdir -p "$work/bin"
    objcopy --strip-debug .build/debug/nightshift "$work/bin/nightshift"
    for library in .build/debug/lib*.so; do objcopy --strip-debug "$library" "$work/bin/$(basename "$library")"; done
    valgrind="valgrind --leak-check=full --errors-for-leak-kinds=definite --num-callers=40"
    valgrind+=" --log-file=$work/valgrind-%p.log --suppressions=scripts/leaks/valgrind.supp"
    run_soak --wrap "$valgrind" --bin "$work/bin/nightshift" --products "$work/bin" || status=$?
    echo
    echo "== valgrind (soak checks exited $status; under valgrind only their event and order verdicts matter)"
    python3 scripts/leaks/valgrind_report.py "$work"/valgrind-*.log || verdict=$?
fi
if [ "$verdict" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work"; fi
exit "$verdict"
