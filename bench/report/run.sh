#!/usr/bin/env bash
# Report benchmark: a synthetic province-scale store (120 invented counties,
# 300,000 publications, 60,000 expected records, six sweeps per county site
# and a credit-system sweep), then two measurements, each in a child process
# whose peak RSS is read from getrusage:
#   json  reports.Build + the JSON report (`reporter report --format json`);
#         the target refers to this: under 10 s and under 1 GiB on 2 cores;
#   all   reports.Build + JSON, HTML and XLSX concurrently, then each format
#         alone.
# Every stage prints wall and CPU seconds (compare CPU when the machine is
# shared) and the load average.
#
#   bash bench/report/run.sh [--db PATH] [--regen] [--out DIR] [--only json|all]
#        [--cpuprofile F] [--memprofile F] [--counties N --publications N --records N]
#
# The store is generated on the first run (several minutes, not timed) and
# reused while its parameters are unchanged (PATH.params records them).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/reportbench" ./bench/report
"$bin/reportbench" "$@"
