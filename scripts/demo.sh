#!/usr/bin/env bash
# The offline demo: runs config/demo.yaml for about a minute on SQLite, then prints the morning summary.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DEMO_DURATION:-60s}
bin=.build/debug/nightshift
rm -rf var/demo
mkdir -p var/demo
echo "== nightshift check config/demo.yaml"
$bin check config/demo.yaml
echo
echo "== nightshift run config/demo.yaml --for $duration   (event log on stdout, one JSON line per event)"
$bin run config/demo.yaml --for "$duration" | tee var/demo/stdout.jsonl | grep -v '"type":"log"' | cut -c1-220
echo
echo "== the morning summary: nightshift events summary --config config/demo.yaml --since 8h"
$bin events summary --config config/demo.yaml --since 8h
