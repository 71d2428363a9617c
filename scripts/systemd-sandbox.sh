#!/bin/bash
# Runs a real systemd as PID 1 inside private PID, mount, UTS, IPC and cgroup namespaces, for tests.
#
# The sandbox boots straight into its own minimal target (nightshift-sandbox.target) with journald, loads units only
# from the caller's unit directory plus its own (empty stand-ins for the boot targets, so default dependencies pull
# in nothing), runs no generators, and leaves the machine alone: /tmp, /var/tmp and /run are fresh tmpfs, /etc and
# /var are copy-on-write overlays (StateDirectory=, DynamicUser=, the journal all land in memory), /proc/sys is
# read-only, all before systemd starts. Processes are only ever killed by the PID that `start` printed.
# Inside there is no D-Bus: systemctl, journalctl and systemd-analyze work (private socket), systemd-run does not.
#
# USAGE:
#   systemd-sandbox.sh start [--keep PATH]... <dir-with-units>
#       Boots the sandbox and prints its systemd's PID (as seen from the machine) once the manager is up.
#       <dir-with-units> stays the machine's own directory inside, at the same path (so `daemon-reload` picks up
#       files written there later). --keep PATH does the same for another directory: needed for anything under /tmp
#       or /var/tmp, or where the machine and the sandbox must see each other's writes under /etc or /var (the
#       overlays show the machine's files as they were at start). Nothing under /run can be kept.
#       A nightshift-sandbox.target (or any other unit) in the directory replaces the sandbox's own.
#   systemd-sandbox.sh exec <pid> <command> [args...]
#       Runs a command inside the sandbox (nsenter into its mount, PID and UTS namespaces),
#       e.g. `exec PID systemctl show -p NRestarts,ExecMainStatus,ActiveState,Result unit.service`.
#   systemd-sandbox.sh wait <pid> <unit> <Property>=<value> [timeout-seconds]
#       Polls `systemctl show` (every 0.1 s, default timeout 30 s) until the property has the value; exit 1 on timeout
#       (the unit's current state is printed to stderr).
#   systemd-sandbox.sh stop <pid>
#       SIGKILLs that PID (the kernel then ends every process in its PID namespace), waits for it and removes the
#       sandbox's cgroup and state.
#
# Needs root, util-linux (unshare, nsenter) and systemd installed (not running). Exit codes: 0 ok, 1 failure,
# 64 usage error.
set -euo pipefail

readonly SYSTEMD_BINARY=${NIGHTSHIFT_SANDBOX_SYSTEMD:-/lib/systemd/systemd}
readonly STATE_ROOT=${NIGHTSHIFT_SANDBOX_STATE:-/var/lib/nightshift-sandbox}
readonly SELF=$(readlink -f "${BASH_SOURCE[0]}")

usage() {
    sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 64
}

die() {
    echo "systemd-sandbox: $*" >&2
    exit 1
}

# MARK: - cgroup

# The cgroup2 mount of the machine: /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified on a hybrid one.
cgroup2_root() {
    local candidate
    for candidate in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        if [[ $(stat -fc %T "$candidate" 2>/dev/null) == cgroup2fs ]]; then
            echo "$candidate"
            return 0
        fi
    done
    die "no cgroup2 hierarchy mounted under /sys/fs/cgroup"
}

# Removes a cgroup subtree, leaves first; cgroups only disappear once their last process was reaped.
remove_cgroup() {
    local cgroup=$1 attempt
    [[ -d $cgroup ]] || return 0
    for attempt in $(seq 1 50); do
        find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [[ -d $cgroup ]] || return 0
        sleep 0.1
    done
    echo "systemd-sandbox: could not remove $cgroup" >&2
}

# MARK: - inside the namespaces (PID 1 before it becomes systemd)

# Targets that units with default dependencies refer to. They are empty here, so starting such a unit never pulls
# in the distribution's boot units (tmpfiles, sysusers, fstab mounts, module loading), which act on the machine.
readonly STUB_TARGETS=(sysinit basic sockets timers paths slices shutdown local-fs remote-fs network-pre network
    network-online nss-lookup time-set time-sync multi-user)

# Writes the sandbox's own units: its boot target, the stub targets and a journald limited to its socket.
write_base_units() {
    local base=$1 target
    for target in "${STUB_TARGETS[@]}"; do
        printf '[Unit]\nDescription=%s (sandbox stub)\nDefaultDependencies=no\n' "$target.target" \
            >"$base/$target.target"
    done
    cat >"$base/nightshift-sandbox.target" <<EOF
[Unit]
Description=Nightshift test sandbox
DefaultDependencies=no
Wants=systemd-journald.socket
AllowIsolate=yes
EOF
    # journald without the /dev/log and audit sockets: /dev is the machine's.
    cat >"$base/systemd-journald.socket" <<EOF
[Unit]
Description=Journal Socket
DefaultDependencies=no
[Socket]
ListenDatagram=/run/systemd/journal/socket
ListenStream=/run/systemd/journal/stdout
PassCredentials=yes
PassSecurity=yes
ReceiveBuffer=8M
Service=systemd-journald.service
SocketMode=0666
Timestamping=us
EOF
    cat >"$base/systemd-journald.service" <<EOF
[Unit]
Description=Journal Service
DefaultDependencies=no
Requires=systemd-journald.socket
After=systemd-journald.socket
[Service]
Type=notify
ExecStart=/lib/systemd/systemd-journald
Sockets=systemd-journald.socket
FileDescriptorStoreMax=4224
RuntimeDirectory=systemd/journal
RuntimeDirectoryPreserve=yes
StandardOutput=null
Restart=always
RestartSec=0
EOF
}

# Prepares the mount namespace and execs systemd. Runs as PID 1 of the new PID namespace.
#
# Every mount is private to the sandbox (--propagation private); -n keeps util-linux from recording them in the
# machine's /run/mount/utab.
inner() {
    local units=$1
    shift
    local keep=("$@") index path tree
    local root=/run/nightshift-sandbox

    # /run first: it holds the staging area for kept paths and is where systemd keeps its runtime state.
    mount -n -t tmpfs -o mode=0755,nosuid,nodev,size=64m tmpfs /run
    mkdir -p "$root/stage" "$root/units" "$root/overlay"

    # PID 1 logs to /dev/console: point it at the sandbox's log file instead of the machine's console.
    mount -n --bind /proc/self/fd/1 /dev/console

    for index in "${!keep[@]}"; do
        mkdir -p "$root/stage/$index"
        mount -n --bind "${keep[$index]}" "$root/stage/$index"
    done

    # /etc and /var become copy-on-write views: state and configuration directories, the journal, users and
    # anything else a service or systemd writes there lands in memory, never on the machine.
    mount -n -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/overlay"
    for tree in etc var; do
        mkdir -p "$root/overlay/$tree/upper" "$root/overlay/$tree/work"
        mount -n -t overlay overlay \
            -o "lowerdir=/$tree,upperdir=$root/overlay/$tree/upper,workdir=$root/overlay/$tree/work" "/$tree"
    done

    # The sandbox's journal lives in its /run and leaves the machine's kernel log alone.
    mkdir -p /etc/systemd/journald.conf.d
    printf '[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToConsole=no\n' \
        >/etc/systemd/journald.conf.d/nightshift-sandbox.conf

    # Private /tmp and /var/tmp: the boot clean-up and PrivateTmp= must never reach the machine's.
    mount -n -t tmpfs -o mode=1777,nosuid,nodev,size=256m tmpfs /tmp
    mount -n -t tmpfs -o mode=1777,nosuid,nodev,size=64m tmpfs /var/tmp

    # Kept paths come back at their own place, as bind mounts of the machine's directories.
    for index in "${!keep[@]}"; do
        path=${keep[$index]}
        mkdir -p "$path"
        mount -n --move "$root/stage/$index" "$path"
    done

    # Global sysctls are not namespaced: make them read-only so PID 1's boot-time tuning stays inside.
    mount -n --bind /proc/sys /proc/sys
    mount -n -o remount,bind,ro /proc/sys

    # A cgroup2 hierarchy rooted at this sandbox's cgroup (cgroup namespace): systemd runs in unified mode.
    mount -n -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup

    # systemd leaves propagation alone when it runs in a container, yet relies on it (credentials are mounted in a
    # child namespace and propagate back): make the sandbox's tree shared, as a container manager would.
    mount -n --make-rshared /

    write_base_units "$root/units"

    # A clean environment, as a container manager passes. Units come from the caller's directory first, then the
    # sandbox's own; no generators run (they would turn the machine's fstab, getty and SysV scripts into units).
    # systemd logs to the sandbox's journal, and to the console (the state directory's console.log) before it runs.
    exec env -i container=nightshift-sandbox PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 SYSTEMD_UNIT_PATH="$units:$root/units" SYSTEMD_GENERATOR_PATH= \
        SYSTEMD_ENVIRONMENT_GENERATOR_PATH= \
        "$SYSTEMD_BINARY" --system --unit=nightshift-sandbox.target --log-target=journal --log-level=info \
        --show-status=no
}

# MARK: - launching

# Becomes `unshare`, whose child becomes the sandbox's PID 1.
#
# Descriptors other than 0-2 are closed first: a caller's pipe inherited by the long-lived sandbox would never see
# end-of-file. The process enters the sandbox's cgroup before unsharing, so the new cgroup namespace is rooted there.
launch() {
    local state=$1 cgroup=$2 descriptor
    shift 2
    for descriptor in /proc/$BASHPID/fd/*; do
        descriptor=${descriptor##*/}
        if ((descriptor > 2)); then eval "exec $descriptor>&-" 2>/dev/null || true; fi
    done
    echo "$BASHPID" >"$cgroup/cgroup.procs"
    echo "$BASHPID" >"$state/unshare.pid"
    exec unshare --fork --pid --mount --uts --ipc --cgroup --mount-proc --propagation private "$SELF" __inner "$@"
}

# MARK: - subcommands

start() {
    local keep=() units
    while [[ $# -gt 0 ]]; do
        case $1 in
            --keep)
                [[ $# -ge 2 ]] || usage
                keep+=("$(readlink -f "$2")")
                shift 2
                ;;
            -*) usage ;;
            *) break ;;
        esac
    done
    [[ $# -eq 1 ]] || usage
    [[ $(id -u) -eq 0 ]] || die "needs root"
    [[ -x $SYSTEMD_BINARY ]] || die "no systemd at $SYSTEMD_BINARY"
    units=$(readlink -f "$1")
    [[ -d $units ]] || die "not a directory: $1"
    keep=("$units" "${keep[@]}")
    local path
    for path in "${keep[@]}"; do
        [[ -d $path ]] || die "not a directory: $path"
        [[ $path != /run && $path != /run/* ]] || die "paths under /run cannot be kept visible: $path"
    done

    mkdir -p "$STATE_ROOT"
    local state cgroup
    state=$(mktemp -d "$STATE_ROOT/starting.XXXXXX")
    cgroup="$(cgroup2_root)/nightshift-sandbox.${state##*.}"
    mkdir "$cgroup"
    echo "$cgroup" >"$state/cgroup"

    # setsid detaches the sandbox from the caller's session; __launch drops inherited descriptors and enters the cgroup.
    setsid "$SELF" __launch "$state" "$cgroup" "$units" "${keep[@]}" </dev/null >"$state/console.log" 2>&1 &

    # The namespace's PID 1 is unshare's only child.
    local pid="" outer="" attempt
    for attempt in $(seq 1 100); do
        [[ -z $outer && -s $state/unshare.pid ]] && outer=$(cat "$state/unshare.pid")
        if [[ -n $outer ]]; then
            pid=$(pgrep -P "$outer" | head -n 1 || true)
            [[ -n $pid ]] && break
            kill -0 "$outer" 2>/dev/null || break
        fi
        sleep 0.05
    done
    if [[ -z $pid ]]; then
        cat "$state/console.log" >&2 || true
        [[ -n $outer ]] && kill -KILL "$outer" 2>/dev/null
        remove_cgroup "$cgroup"
        rm -rf "$state"
        die "the sandbox did not start"
    fi
    mv "$state" "$STATE_ROOT/$pid"
    state="$STATE_ROOT/$pid"

    # Ready once the manager answers and has finished booting its target.
    local status=""
    for attempt in $(seq 1 300); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$state/console.log" >&2 || true
            stop "$pid" >/dev/null 2>&1 || true
            die "systemd exited while booting"
        fi
        status=$(nsenter -t "$pid" -m -p -u systemctl is-system-running 2>/dev/null || true)
        case $status in
            running | degraded)
                echo "$pid"
                return 0
                ;;
        esac
        sleep 0.1
    done
    tail -n 40 "$state/console.log" >&2 || true
    stop "$pid" >/dev/null 2>&1 || true
    die "systemd did not finish booting (last state: ${status:-none})"
}

require_sandbox() {
    local pid=$1
    [[ $pid =~ ^[0-9]+$ ]] || die "not a PID: $pid"
    [[ -d $STATE_ROOT/$pid ]] || die "no sandbox was started with PID $pid"
}

exec_in() {
    [[ $# -ge 2 ]] || usage
    local pid=$1
    shift
    require_sandbox "$pid"
    exec nsenter -t "$pid" -m -p -u -- "$@"
}

wait_for() {
    [[ $# -eq 3 || $# -eq 4 ]] || usage
    local pid=$1 unit=$2 expectation=$3 timeout=${4:-30}
    local property=${expectation%%=*} expected=${expectation#*=} value="" deadline
    require_sandbox "$pid"
    deadline=$(($(date +%s%N) + timeout * 1000000000))
    while (($(date +%s%N) < deadline)); do
        value=$(nsenter -t "$pid" -m -p -u systemctl show -p "$property" --value "$unit" 2>/dev/null || true)
        [[ $value == "$expected" ]] && return 0
        sleep 0.1
    done
    echo "systemd-sandbox: $unit: $property is '$value', expected '$expected' within ${timeout}s" >&2
    nsenter -t "$pid" -m -p -u systemctl show -p ActiveState,SubState,Result,NRestarts,ExecMainStatus "$unit" >&2 ||
        true
    return 1
}

stop() {
    [[ $# -eq 1 ]] || usage
    local pid=$1 state attempt
    require_sandbox "$pid"
    state="$STATE_ROOT/$pid"
    kill -KILL "$pid" 2>/dev/null || true
    for attempt in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && die "PID $pid is still running"
    [[ -f $state/cgroup ]] && remove_cgroup "$(cat "$state/cgroup")"
    rm -rf "$state"
}

case ${1:-} in
    start) shift && start "$@" ;;
    exec) shift && exec_in "$@" ;;
    wait) shift && wait_for "$@" ;;
    stop) shift && stop "$@" ;;
    __launch) shift && launch "$@" ;;
    __inner) shift && inner "$@" ;;
    *) usage ;;
esac
