#!/usr/bin/env bash
# Harvest benchmark: the large simulated world, politeness delays off.
# Prints pages/s, peak RSS and CPU time of full sweeps and of a minimal colly
# program fetching the same requests (the baseline), alternating, their
# median ratio, and the requests of a sweep of the unchanged world and of an
# incremental sweep after moving the world on a few days.
#
#   bash bench/harvest/run.sh [--rounds 3] [--seed N] [--per-host N] [--change 0.01] [--size small|large]
#                             [--cpuprofile F] [--memprofile F] [--harvest-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/harvestbench" ./bench/harvest
go build -o "$bin/baseline" ./bench/harvest/baseline
"$bin/harvestbench" --baseline "$bin/baseline" "$@"
