#!/usr/bin/env bash
# The offline demo: both bots of config/demo.yaml against the four simulators of scripts/sims/, with faults chosen to
# show each layer of failure handling, events in SQLite, for about a minute; then the morning summary.
#
#   Open-Meteo      the first 2 requests fail with 503, the third gets a 429: attempt_failed twice, then
#                   retry_exhausted and cycle_skipped (the call and cycle layers); the next cycle gets its forecast
#   Kalshi          the first order POST is accepted but never answered, and orders fill in parts: order_unknown,
#                   order_reconciled by query (never resubmitted), trade_executed partially_filled then filled
#   Alpaca stream   the first connection drops after 20 messages, the next two flap: stream_disconnected with
#                   consecutive failures growing, stream_connected with a resubscription (the stream layer)
#   Alpaca orders   orders fill in three parts, tracked to completion by query
#
# Environment: DEMO_DURATION (default 60s) is handed to `nightshift run --for`. Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DEMO_DURATION:-60s}
bin=.build/debug/nightshift
config=config/demo.yaml
sims=scripts/sims

for tool in python3 openssl "$bin"; do
    command -v "$tool" >/dev/null || { echo "demo: $tool not found (run \`make build\` first)" >&2; exit 1; }
done

# A private scratch directory for the simulators' output, the Kalshi key pair and the credentials.
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/nightshift-demo.XXXXXX")
sim_pids=()

# stop_pids PID...: SIGTERM, then SIGKILL for any that did not go (a parent may have left SIGTERM blocked), then reap.
stop_pids() {
    [ $# -gt 0 ] || return 0
    kill "$@" 2>/dev/null || true
    sleep 0.3
    kill -KILL "$@" 2>/dev/null || true
    wait "$@" 2>/dev/null || true
}

stop_simulators() {
    stop_pids "${sim_pids[@]}"
    rm -rf "$work"
}
trap stop_simulators EXIT
trap 'exit 130' INT TERM

# start_simulator NAME SCRIPT ARGS...: starts scripts/sims/SCRIPT and sets the variable NAME to the port it prints.
start_simulator() {
    local name=$1 script=$2
    shift 2
    python3 "$sims/$script" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    sim_pids+=($!)
    local port="" tries=0
    while [ -z "$port" ]; do
        port=$(head -n 1 "$work/$name.out" 2>/dev/null | tr -dc 0-9 || true)
        if [ -z "$port" ]; then
            tries=$((tries + 1))
            if [ $tries -gt 200 ]; then
                echo "demo: $script did not start:" >&2
                cat "$work/$name.err" >&2
                exit 1
            fi
            sleep 0.05
        fi
    done
    printf -v "$name" '%s' "$port"
}

# The credentials the deployment reads with ${credential:…}: dummy keys that only the simulators know.
credentials="$work/credentials"
mkdir -p "$credentials"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$credentials/kalshi-private-key" 2>/dev/null
openssl pkey -in "$credentials/kalshi-private-key" -pubout -out "$work/kalshi-public-key.pem" 2>/dev/null
printf 'demo-kalshi-%s\n' "$(openssl rand -hex 4)" >"$credentials/kalshi-key-id"
printf 'demo-alpaca-%s\n' "$(openssl rand -hex 4)" >"$credentials/alpaca-key-id"
openssl rand -hex 16 >"$credentials/alpaca-secret"
alpaca_key=$(cat "$credentials/alpaca-key-id")
alpaca_secret=$(cat "$credentials/alpaca-secret")

echo "== starting the simulators on 127.0.0.1"
# The Kalshi markets are priced around a high 4°F above the ensemble's mean for their day, so the weather bot finds
# an edge whatever the season: ask a fault-free Open-Meteo simulator (same seed) for that mean first.
market_date=$(date -u -d tomorrow +%F)
start_simulator probe_port open_meteo_sim.py --seed 1
center=$(python3 - "$probe_port" "$market_date" <<'PY'
import json, sys, urllib.request
port, day = sys.argv[1], sys.argv[2]
url = ("http://127.0.0.1:%s/v1/ensemble?latitude=40.7794&longitude=-73.9692&hourly=temperature_2m"
       "&models=gfs_seamless&forecast_days=3&temperature_unit=fahrenheit&timezone=America/New_York" % port)
hourly = json.load(urllib.request.urlopen(url, timeout=10))["hourly"]
hours = [i for i, time in enumerate(hourly["time"]) if time.startswith(day)]
members = [series for name, series in hourly.items() if name.startswith("temperature_2m")]
highs = [max(series[i] for i in hours) for series in members]
print(round(sum(highs) / len(highs) + 4, 1))
PY
)
stop_pids "${sim_pids[-1]}"
unset 'sim_pids[-1]'

start_simulator open_meteo_port open_meteo_sim.py --seed 1 --fail-first 2 --rate-limit 1 --retry-after 1
start_simulator kalshi_port kalshi_sim.py --public-key "$work/kalshi-public-key.pem" \
    --key-id "$(cat "$credentials/kalshi-key-id")" --date "$market_date" --center "$center" \
    --timeout-after-accept 1 --stall 30 --partial --fill-interval 1
start_simulator stream_port alpaca_stream_sim.py --key "$alpaca_key" --secret "$alpaca_secret" \
    --rate 10 --drop-after 20 --faulty-connections 1 --flap-on 2,3
start_simulator orders_port alpaca_orders_sim.py --key "$alpaca_key" --secret "$alpaca_secret" \
    --partial --partial-steps 3 --fill-interval 1
echo "   open-meteo :$open_meteo_port  (503 twice, then a 429)"
echo "   kalshi     :$kalshi_port  (first order unanswered; partial fills; KXHIGHNY $market_date around ${center}°F)"
echo "   alpaca ws  :$stream_port  (drop after 20 messages, then two flaps)"
echo "   alpaca api :$orders_port  (fills in three parts)"

export CREDENTIALS_DIRECTORY="$credentials"
export DEMO_OPEN_METEO_URL="http://127.0.0.1:$open_meteo_port"
export DEMO_KALSHI_URL="http://127.0.0.1:$kalshi_port/trade-api/v2"
export DEMO_ALPACA_STREAM_URL="ws://127.0.0.1:$stream_port/v2"
export DEMO_ALPACA_ORDERS_URL="http://127.0.0.1:$orders_port"

# One line per event from the JSON lines on stdout: time (UTC), type, instance, message; plugin `log` rows skipped.
event_lines='
import json, sys
for line in sys.stdin:
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("type") == "log":
        continue
    mark = {"warning": "!", "error": "E", "critical": "C"}.get(event.get("level"), " ")
    print("%s %s %-19s %-14s %s" % (event.get("time", "")[11:23], mark, event.get("type", ""),
                                    event.get("instance", ""), event.get("message", "")[:110]), flush=True)
'

rm -rf var/demo
mkdir -p var/demo
echo
echo "== nightshift check $config"
"$bin" check "$config"
echo
echo "== nightshift run $config --for $duration   (one line per event; the JSON lines are in var/demo/stdout.jsonl)"
set +e
"$bin" run "$config" --for "$duration" | tee var/demo/stdout.jsonl | python3 -u -c "$event_lines"
status=${PIPESTATUS[0]}
set -e
echo "   nightshift run exited with status $status"
echo
echo "== the morning summary: nightshift events summary --config $config --since 8h"
"$bin" events summary --config "$config" --since 8h
exit "$status"
