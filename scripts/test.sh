#!/usr/bin/env bash
# The whole test suite of gongkai, runnable on a fresh machine.
# Installs the system packages the tests use (when missing and running as
# root), starts a throw-away redis-server on a loopback port for the Redis
# store's tests (unless GONGKAI_TEST_REDIS already names one), then vets,
# tests with the race detector, and runs each fuzz target briefly. CI
# (.ci/run) calls exactly this script; under CI=true the Redis tests fail
# rather than skip when no server is available.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || need+=(fonts-wqy-microhei)
[ -n "${GONGKAI_TEST_REDIS:-}" ] || command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# node and npm: the WARC export is read back by warcio.js (cmd/harvester).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]} (install them as root: apt-get install -y ${need[*]})" >&2
  fi
fi

# A redis-server for store/redis: loopback only, no persistence (--save ''
# --appendonly no: the tests' data is thrown away), on the first free port
# from GONGKAI_TEST_REDIS_PORT (default 6390), stopped when the script exits.
# Each test uses a key prefix of its own and deletes it afterwards.
redis_pid=""
redis_dir=""
stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  [ -z "$redis_dir" ] || rm -rf "$redis_dir"
}
trap stop_redis EXIT
if [ -z "${GONGKAI_TEST_REDIS:-}" ] && command -v redis-server >/dev/null 2>&1; then
  redis_dir=$(mktemp -d)
  port="${GONGKAI_TEST_REDIS_PORT:-6390}"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --dir "$redis_dir" --logfile "$redis_dir/redis.log" &
    redis_pid=$!
    for _ in $(seq 50); do
      if ! kill -0 "$redis_pid" 2>/dev/null; then break; fi # exited: port taken
      # Ours answering, not another server that already had the port.
      if redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | grep -q "^process_id:${redis_pid}"; then break 2; fi
      sleep 0.1
    done
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
    port=$((port + 1))
  done
  if [ -n "$redis_pid" ]; then
    export GONGKAI_TEST_REDIS="redis://127.0.0.1:${port}/0"
    echo "== redis-server on 127.0.0.1:${port} (pid ${redis_pid})"
  else
    echo "warning: could not start redis-server (see $redis_dir/redis.log); the Redis store tests skip (fail under CI=true)" >&2
  fi
elif [ -z "${GONGKAI_TEST_REDIS:-}" ]; then
  echo "warning: no redis-server: the Redis store tests skip (fail under CI=true)" >&2
fi

echo "== go vet"
go vet ./...

# The longest end-to-end comparisons with the simulated world's truth run
# once, without the race detector (which makes them five times slower):
# the harvest and the audit code they drive also runs concurrently in the
# raced end-to-end tests of sources/harvest, audit and cmd/harvester.
plain_only='^(TestAuditMatchesSimulatedTruth|TestAuditSameAfterIncrementalCreditLookups|TestProbeConfigHarvestsLikeHandWritten)$'

echo "== go test -race"
go test -race -count=1 -timeout 20m -skip "$plain_only" ./...

echo "== go test (allocation bounds, which the race detector's sync.Pool hides; the long truth comparisons)"
go test -count=1 -run 'Bounded$' ./audit/ ./matcher/
go test -count=1 -run "$plain_only" ./audit/ ./cmd/harvester/

echo "== fuzz (briefly)"
fuzz_time="${FUZZTIME:-5s}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "-- $pkg $target"
    # Go 1.26's fuzzing coordinator can report a bare "context deadline
    # exceeded" when -fuzztime ends while a starved worker is mid-call
    # (golang/go#75804, fixed in Go 1.27). Such a run wrote no failing input;
    # it is run once more. A real finding is written to testdata/fuzz and
    # fails the second run too.
    log=$(mktemp)
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzz_time" "$pkg" 2>&1 | tee "$log"; then
      if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "-- $pkg $target: the fuzzing coordinator's deadline race (no failing input); once more"
        go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzz_time" "$pkg"
      else
        rm -f "$log"
        exit 1
      fi
    fi
    rm -f "$log"
  done
done
echo "== all tests passed"
