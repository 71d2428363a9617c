#!/usr/bin/env bash
# The event-store outage and crash scenario, run under scripts/with-postgres.sh (a private server of its own):
#   1. the host writes `tick` rows to PostgreSQL;
#   2. PostgreSQL is stopped hard (pg_ctl stop -m immediate) while ticks keep coming: they go to the spool;
#   3. the host is SIGKILLed with events still in the spool;
#   4. PostgreSQL comes back and the host starts again: it replays the spool.
# Prints `key=value` lines for the test to check.
# Usage: spool_crash_scenario.sh <nightshift binary> <plugin dir> <products dir> <work dir>
set -euo pipefail
bin=$1 plugins=$2 products=$3 work=$4
pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$NIGHTSHIFT_TEST_PG_CTL" "$@"; else "$NIGHTSHIFT_TEST_PG_CTL" "$@"; fi; }
ticks() { psql "$NIGHTSHIFT_TEST_PG_URL" -qtAX -c "select count(*) from bot_events where event_type = 'tick' $1" 2>/dev/null || echo 0; }

cat > "$work/d.yaml" <<YAML
host: {plugin_dirs: [$plugins, $products], data_dir: $work/data, shutdown_timeout: 5s}
events: {store: postgres, url: "$NIGHTSHIFT_TEST_PG_URL", stdout: json, flush_interval: 50ms}
instances:
  - name: quotes
    plugin: synthetic-quotes
    schedule: {every: 20ms}
    config: {symbols: [AAPL], quotes_per_cycle: 1}
  - name: ticker
    plugin: ticker
    subscribe: [quotes]
YAML

# A stand-in for systemd's notify socket, to see the host's STATUS= lines.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
with open(sys.argv[2], "ab", 0) as log:
    while True: log.write(s.recv(65536) + b"\n")
' "$work/notify.sock" "$work/notify.log" &
listener=$!
# SIGKILL: a child of the test process may inherit a blocked SIGTERM.
trap 'kill -KILL "$listener" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -S "$work/notify.sock" ] && break; sleep 0.05; done
NOTIFY_SOCKET="$work/notify.sock" "$bin" run "$work/d.yaml" > "$work/run1.jsonl" 2> "$work/run1.err" &
host=$!
for _ in $(seq 1 100); do [ "$(ticks "")" -ge 20 ] && break; sleep 0.1; done
before_stop=$(ticks "")
pg -D "$NIGHTSHIFT_TEST_PG_DATA" -m immediate -w stop > /dev/null
sleep 1.5
kill -KILL "$host"
wait "$host" || true
spool_bytes=$(stat -c %s "$work/data/spool/events.spool" 2>/dev/null || echo 0)
pg -D "$NIGHTSHIFT_TEST_PG_DATA" -l "$NIGHTSHIFT_TEST_PG_LOG" -w -t 60 start < /dev/null > /dev/null 2>&1
run1=$(head -c 4000 "$work/run1.jsonl" | grep -o '"run_id":"[^"]*"' | head -1 | cut -d'"' -f4)
printed=$(grep -c '"type":"tick"' "$work/run1.jsonl" || true)
"$bin" run "$work/d.yaml" --for 2s > "$work/run2.jsonl" 2> "$work/run2.err"
echo "run2_status=$?"
q() { psql "$NIGHTSHIFT_TEST_PG_URL" -qtAX -c "$1"; }
echo "before_stop=$before_stop"
echo "spool_bytes_at_kill=$spool_bytes"
echo "printed_run1=$printed"
echo "rows_run1=$(q "select count(*) from bot_events where event_type = 'tick' and run_id = '$run1'")"
echo "distinct_seq_run1=$(q "select count(distinct fields->>'seq') from bot_events where event_type = 'tick' and run_id = '$run1'")"
echo "max_seq_run1=$(q "select coalesce(max((fields->>'seq')::int), 0) from bot_events where event_type = 'tick' and run_id = '$run1'")"
# Order per source: sorting by created_at gives the same sequence as sorting by seq.
echo "out_of_order_run1=$(q "select count(*) from (select (fields->>'seq')::int as seq, lag((fields->>'seq')::int) over (order by created_at, id) as previous from bot_events where event_type = 'tick' and run_id = '$run1') t where previous is not null and seq < previous")"
echo "status_store_unavailable=$(grep -c 'STATUS=event log: store unavailable' "$work/notify.log" || true)"
echo "status_ready=$(grep -c 'READY=1' "$work/notify.log" || true)"
echo "store_events_run2=$(grep -c 'event_store_unavailable' "$work/run2.jsonl" || true)"
