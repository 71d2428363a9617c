#!/bin/bash
# Proves the systemd sandbox and the unit policy with a Type=notify stand-in service.
#
# Boots a sandbox (scripts/systemd-sandbox.sh), runs one instance of a stand-in unit per scenario and checks what a
# real systemd does with it:
#   kill      SIGKILL of the main process      -> restarted after RestartSec (NRestarts 0 -> 1), active again
#   config    exit 78 (configuration error)    -> failed, ExecMainStatus=78, never restarted (RestartPreventExitStatus)
#   watchdog  the loop stops feeding WATCHDOG=1 -> killed with Result=watchdog, then restarted
#   term      systemctl stop (SIGTERM)          -> STOPPING=1, exit 0, inactive with Result=success, no restart
#   hardened  config/nightshift.service itself, with the stand-in as ExecStart and short timings: starts under all
#             its hardening (DynamicUser, credentials readable, state directory writable), restarts after SIGKILL
# Then verifies config/nightshift.service (verify-unit.sh) and prints its `systemd-analyze security` exposure.
# Test units use RestartSec=1 and WatchdogSec=2, so the whole run takes about 15 seconds.
#
# Exit status: 0 when every check passed, 1 otherwise. Needs root.
set -uo pipefail

readonly HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
readonly ROOT=$(dirname "$(dirname "$HERE")")
readonly SANDBOX="$ROOT/scripts/systemd-sandbox.sh"
readonly STAND_IN="$HERE/notify-stand-in.py"

passed=0
failed=0
pid=""
units=$(mktemp -d "${TMPDIR:-/tmp}/nightshift-selftest.XXXXXX")

cleanup() {
    [[ -n $pid ]] && "$SANDBOX" stop "$pid"
    rm -rf "$units"
}
trap cleanup EXIT

check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok - $name"
        passed=$((passed + 1))
    else
        echo "not ok - $name"
        failed=$((failed + 1))
    fi
}

in_sandbox() { "$SANDBOX" exec "$pid" "$@"; }
show() { in_sandbox systemctl show -p "$2" --value "$1"; }
property_is() { [[ $(show "$1" "$2") == "$3" ]]; }
wait_for() { "$SANDBOX" wait "$pid" "$@"; }
# The results file is written by ExecStopPost= with $SERVICE_RESULT $EXIT_CODE $EXIT_STATUS of each run.
first_result_is() { [[ $(in_sandbox head -n 1 "/run/nightshift-standin-$1.results" 2>/dev/null) == "$2" ]]; }

cat >"$units/nightshift-standin@.service" <<EOF
[Unit]
Description=Nightshift stand-in (%i)
DefaultDependencies=no
StartLimitIntervalSec=60
StartLimitBurst=10

[Service]
Type=notify
NotifyAccess=main
ExecStart=/usr/bin/python3 $STAND_IN
ExecStopPost=/bin/sh -c 'echo "\$SERVICE_RESULT \$EXIT_CODE \$EXIT_STATUS" >>/run/nightshift-standin-%i.results'
Restart=always
RestartSec=1
WatchdogSec=2
RestartPreventExitStatus=78
TimeoutStartSec=10
TimeoutStopSec=5
KillSignal=SIGTERM
EOF

pid=$("$SANDBOX" start "$units") || {
    echo "not ok - sandbox boots"
    exit 1
}
echo "ok - sandbox boots (systemd PID $pid)"
passed=$((passed + 1))

# MARK: - kill: SIGKILL -> restarted

unit=nightshift-standin@kill.service
in_sandbox systemctl start "$unit"
check "kill: starts active (READY=1)" wait_for "$unit" ActiveState=active 10
first_pid=$(show "$unit" MainPID)
in_sandbox systemctl kill --kill-who=main -s SIGKILL "$unit"
check "kill: restarted (NRestarts=1)" wait_for "$unit" NRestarts=1 10
check "kill: active again" wait_for "$unit" ActiveState=active 10
check "kill: a new main process" test "$(show "$unit" MainPID)" != "$first_pid"
check "kill: the killed run ended by SIGKILL" first_result_is kill "signal killed KILL"

# MARK: - config: exit 78 -> not restarted

unit=nightshift-standin@config.service
in_sandbox systemctl start "$unit"
check "config: starts active" wait_for "$unit" ActiveState=active 10
in_sandbox systemctl kill --kill-who=main -s SIGUSR1 "$unit"
check "config: fails" wait_for "$unit" ActiveState=failed 10
check "config: ExecMainStatus=78" property_is "$unit" ExecMainStatus 78
check "config: Result=exit-code" property_is "$unit" Result exit-code
sleep 2.5 # longer than RestartSec: a restart would have happened by now
check "config: still failed after RestartSec" property_is "$unit" ActiveState failed
check "config: never restarted (NRestarts=0)" property_is "$unit" NRestarts 0

# MARK: - watchdog: not fed -> killed (Result=watchdog) and restarted

unit=nightshift-standin@watchdog.service
in_sandbox systemctl start "$unit"
check "watchdog: starts active" wait_for "$unit" ActiveState=active 10
check "watchdog: WatchdogUSec=2s" property_is "$unit" WatchdogUSec 2s
sleep 3 # longer than WatchdogSec: a fed watchdog keeps the service alive
check "watchdog: alive while fed (NRestarts=0)" property_is "$unit" NRestarts 0
in_sandbox systemctl kill --kill-who=main -s SIGUSR2 "$unit"
check "watchdog: restarted after the stall (NRestarts=1)" wait_for "$unit" NRestarts=1 10
check "watchdog: the stalled run ended with Result=watchdog" first_result_is watchdog "watchdog killed ABRT"
check "watchdog: active again" wait_for "$unit" ActiveState=active 10

# MARK: - term: systemctl stop -> SIGTERM -> clean stop

unit=nightshift-standin@term.service
in_sandbox systemctl start "$unit"
check "term: starts active" wait_for "$unit" ActiveState=active 10
in_sandbox systemctl stop "$unit"
check "term: inactive" property_is "$unit" ActiveState inactive
check "term: Result=success" property_is "$unit" Result success
check "term: exited 0 by itself after SIGTERM" first_result_is term "success exited 0"
check "term: not restarted (NRestarts=0)" property_is "$unit" NRestarts 0

# MARK: - hardened: the production unit's policy and sandboxing around the stand-in

mkdir -p "$units/credentials"
for credential in kalshi-private-key alpaca-key-id alpaca-secret database-url; do
    (umask 077 && echo "selftest-$credential" >"$units/credentials/$credential")
done
sed -e "s|^ExecStart=.*|ExecStart=/usr/bin/python3 $STAND_IN|" \
    -e "s|/etc/nightshift/credentials/|$units/credentials/|" \
    -e 's/^RestartSec=.*/RestartSec=1/' -e 's/^WatchdogSec=.*/WatchdogSec=2/' \
    "$ROOT/config/nightshift.service" >"$units/nightshift-hardened.service"
in_sandbox systemctl daemon-reload
unit=nightshift-hardened.service
in_sandbox systemctl start "$unit"
check "hardened: starts active" wait_for "$unit" ActiveState=active 10
check "hardened: credentials readable, state directory writable" property_is "$unit" StatusText \
    "serving; credentials: alpaca-key-id,alpaca-secret,database-url,kalshi-private-key; state: writable"
check "hardened: runs as the dynamic user" test "$(in_sandbox stat -c %U "/proc/$(show "$unit" MainPID)")" = nightshift
in_sandbox systemctl kill --kill-who=main -s SIGKILL "$unit"
check "hardened: restarted after SIGKILL (NRestarts=1)" wait_for "$unit" NRestarts=1 10
check "hardened: active again" wait_for "$unit" ActiveState=active 10
in_sandbox systemctl stop "$unit"
check "hardened: stops cleanly (Result=success)" property_is "$unit" Result success

# MARK: - the production unit

check "nightshift.service passes systemd-analyze verify" "$HERE/verify-unit.sh" "$ROOT/config/nightshift.service"
sed 's|^ExecStart=.*|ExecStart=/bin/true|' "$ROOT/config/nightshift.service" >"$units/nightshift.service"
in_sandbox systemctl daemon-reload
security=$(in_sandbox systemd-analyze security --no-pager nightshift.service 2>&1 | tail -n 1)
echo "# systemd-analyze security nightshift.service: ${security#→ }"
check "nightshift.service exposure is OK or better" \
    grep -qE 'Overall exposure level for nightshift.service: [0-9.]+ (OK|SAFE)' \
    <<<"$security"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
