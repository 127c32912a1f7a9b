#!/usr/bin/env bash
# Weekly-sweep benchmark: the small simulated world is harvested once
# (politeness off, to set the store up), moved on 7 days, the records of
# the week imported, and swept again as scheduled — an incremental sweep of
# every county site and the credit system at 1 request/s per host
# (harvest delay 1s, per_host 1). Prints the requests per host and the wall
# time of each source's weekly sweep and of the whole; target ≤ 2 minutes.
#
#   bash bench/weekly/run.sh [--seed N] [--days 7] [--delay 1s] [--per-host 1] [--full]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/weeklybench" ./bench/weekly
"$bin/weeklybench" "$@"
