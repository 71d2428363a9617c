#!/bin/bash
# Checks a unit file with `systemd-analyze verify`, strictly: any diagnostic at all is a failure.
#
# USAGE: verify-unit.sh <unit-file>
#
# verify also checks that ExecStart='s binary exists, which it does not on a build machine, so a copy of the unit is
# verified in a temporary directory with the binary path pointed at a temporary executable of the same name.
# Exit status: 0 clean, 1 diagnostics or errors (printed to stderr), 64 usage error.
set -euo pipefail

[[ $# -eq 1 && -f $1 ]] || {
    echo "USAGE: verify-unit.sh <unit-file>" >&2
    exit 64
}

unit=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

binary=$(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' "$unit" | head -n 1)
[[ -n $binary ]] || {
    echo "verify-unit: $unit has no ExecStart=" >&2
    exit 1
}
stand_in="$scratch/bin/$(basename "$binary")"
mkdir -p "$scratch/bin"
printf '#!/bin/sh\nexit 0\n' >"$stand_in"
chmod 0755 "$stand_in"
sed "s|^\(ExecStart=[-@:+!]*\)$binary|\1$stand_in|" "$unit" >"$scratch/$(basename "$unit")"

# --man=no: Documentation= pages need not be installed here.
if ! diagnostics=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$scratch/$(basename "$unit")" 2>&1); then
    echo "$diagnostics" >&2
    exit 1
fi
if [[ -n $diagnostics ]]; then
    echo "$diagnostics" >&2
    exit 1
fi
