#!/usr/bin/env bash
# Harvest benchmark: the large simulated world, politeness delays off.
# Prints pages/s and peak RSS of a full sweep, the same for a minimal colly
# program fetching the same requests (the baseline), their ratio, and the
# requests of an incremental sweep after moving the world on a few days.
#
#   bash bench/harvest/run.sh [--seed N] [--per-host N] [--change 0.01] [--size small|large]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/harvestbench" ./bench/harvest
go build -o "$bin/baseline" ./bench/harvest/baseline
"$bin/harvestbench" --baseline "$bin/baseline" "$@"
