#!/usr/bin/env bash
# Distributed harvest benchmark: two small simulated worlds served side by
# side (12 county sites, 12 hosts), politeness on (per_host 1, a delay
# between requests to one host) and latency on every answer; one sweep
# (harvester run) on a Redis store with 1, 2 and 4 `harvester worker`
# processes of a fixed --concurrency. Prints throughput, speedup, duplicate
# fetches and the most requests any host answered at once.
#
#   bash bench/distributed/run.sh [--delay 100ms] [--latency 100ms] [--concurrency 2] [--workers 1,2,4]
#                                 [--redis redis://127.0.0.1:6379/0]   (default: a redis-server of its own)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/harvester" ./cmd/harvester
go build -o "$bin/distbench" ./bench/distributed
"$bin/distbench" --harvester "$bin/harvester" "$@"
