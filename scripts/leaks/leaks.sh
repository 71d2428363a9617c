#!/usr/bin/env bash
# The leak check (`make leaks`): the soak deployment (scripts/soak/soak.yaml, both bots and the flaky plugin) for a
# short run with faults, the host under valgrind's memcheck, then a verdict on definite leaks.
#
#   scripts/with-postgres.sh scripts/leaks/leaks.sh          (LEAKS_SECONDS, default 60; LEAKS_SEED, default 1)
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
mkdir -p "$work/bin"
objcopy --strip-debug .build/debug/nightshift "$work/bin/nightshift"
for library in .build/debug/lib*.so; do objcopy --strip-debug "$library" "$work/bin/$(basename "$library")"; done

kinds=http_5xx,http_429,http_timeout,http_garbage,stream_drop,stream_flap,stream_silence,pg_stop,plugin_throw
valgrind="valgrind --leak-check=full --errors-for-leak-kinds=definite --num-callers=40 --log-file=$work/valgrind-%p.log"
valgrind+=" --suppressions=scripts/leaks/valgrind.supp"
status=0
python3 scripts/soak/soak.py --seconds "$seconds" --seed "$seed" --kinds "$kinds" --wrap "$valgrind" \
    --bin "$work/bin/nightshift" --products "$work/bin" --work "$work/soak" --self-stop --fault-start 25 --stop-timeout 180 \
    --summary "$work/summary.json" || status=$?
echo
echo "== valgrind (soak checks exited $status; under valgrind only their event and order verdicts matter)"
verdict=0
python3 scripts/leaks/valgrind_report.py "$work"/valgrind-*.log || verdict=$?
if [ "$verdict" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work"; fi
exit "$verdict"
