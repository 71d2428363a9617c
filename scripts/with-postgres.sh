#!/usr/bin/env bash
# Runs a command with a private, throwaway PostgreSQL 15 server on 127.0.0.1.
#
#   scripts/with-postgres.sh swift test --filter NightshiftEventsTests
#
# The server lives in a fresh temporary directory owned by the postgres user (the server refuses to run as root),
# listens on a free private port with trust authentication, and is stopped and removed when the command ends.
# The command sees:
#   NIGHTSHIFT_TEST_PG_URL   postgresql://postgres@127.0.0.1:PORT/postgres
#   NIGHTSHIFT_TEST_PG_DATA  the data directory
#   NIGHTSHIFT_TEST_PG_CTL   the pg_ctl binary (run it as the postgres user: `runuser -u postgres -- …` when root)
#   NIGHTSHIFT_TEST_PG_LOG   the server log file
# The script exits with the command's status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGUMENTS...]" >&2
    exit 64
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in initdb pg_ctl; do
    if [[ ! -x "$PG_BIN/$tool" ]]; then
        echo "Error: $PG_BIN/$tool not found (install postgresql-15, or set PG_BIN)" >&2
        exit 69
    fi
done

# As root, the server tools run as the postgres user; as anyone else, as that user.
if [[ "$(id -u)" -eq 0 ]]; then
    as_server_user() { runuser -u postgres -- "$@"; }
else
    as_server_user() { "$@"; }
fi

# A port nothing listens on, from /proc (no python or iproute2 needed); a race with another process is caught by
# the start loop below, which tries a new port.
port_in_use() {
    local hex
    hex="$(printf '%04X' "$1")"
    grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        if ! port_in_use "$port"; then
            echo "$port"
            return
        fi
    done
    echo "Error: no free port found" >&2
    exit 70
}

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/nightshift-pg.XXXXXX")"
chmod 0755 "$WORK_DIR"
if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$WORK_DIR"
fi
DATA_DIR="$WORK_DIR/data"
LOG_FILE="$WORK_DIR/postgres.log"

cleanup() {
    as_server_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server_user "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres -A trust -E UTF8 --locale=C >"$WORK_DIR/initdb.log" 2>&1 || {
    cat "$WORK_DIR/initdb.log" >&2
    exit 70
}

started=""
for attempt in 1 2 3 4 5; do
    PORT="$(free_port)"
    # Settings live in the data directory so a bare `pg_ctl start -D DATA` brings the same server back.
    as_server_user tee "$DATA_DIR/postgresql.auto.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK_DIR'
fsync = on
max_connections = 50
CONF
    if as_server_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 30 start >/dev/null 2>&1; then
        started="yes"
        break
    fi
done
if [[ -z "$started" ]]; then
    echo "Error: PostgreSQL did not start; its log follows" >&2
    cat "$LOG_FILE" >&2 || true
    exit 70
fi

export NIGHTSHIFT_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
export NIGHTSHIFT_TEST_PG_DATA="$DATA_DIR"
export NIGHTSHIFT_TEST_PG_CTL="$PG_BIN/pg_ctl"
export NIGHTSHIFT_TEST_PG_LOG="$LOG_FILE"

status=0
"$@" || status=$?
exit "$status"
