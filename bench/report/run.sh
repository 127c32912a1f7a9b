#!/usr/bin/env bash
# Report benchmark: a synthetic province-scale store (120 invented counties,
# 300,000 publications, 60,000 expected records, six sweeps per county site
# and a credit-system sweep), then reports.Build and rendering JSON, HTML and
# XLSX, timed in a child process whose peak RSS is read from getrusage.
# Targets: under 10 s and under 1 GiB on a 2-core machine.
#
#   bash bench/report/run.sh [--db PATH] [--regen] [--out DIR] [--counties N --publications N --records N]
#
# The store is generated on the first run (several minutes, not timed) and
# reused while its parameters are unchanged (PATH.params records them).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/reportbench" ./bench/report
"$bin/reportbench" "$@"
