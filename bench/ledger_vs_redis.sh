#!/usr/bin/env bash
# Reservations per second through tollgate's Redis ledger next to redis-benchmark calling the
# same reservation script with EVALSHA, against one redis-server, in one run.
# Usage: bench/ledger_vs_redis.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build=${1:-build}
seconds=${2:-5}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --logfile "$work/redis.log" &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The ledger and redis-server share the machine's two cores; pin them apart.
taskset -c 0 true 2>/dev/null && pin_redis="taskset -c 1" && pin_client="taskset -c 0" || pin_redis="" pin_client=""
[ -n "$pin_redis" ] && taskset -cp 1 "$redis_pid" >/dev/null

ours=$($pin_client "$build/bench/tollgate_ledger_bench" "$port" "$seconds" 64)
echo "$ours"
ledger_rps=$(echo "$ours" | awk '/redis, / {print $(NF-1)}')

# The same script with the same key and argument layout, via redis-benchmark.
script=$(sed -n '/R"lua(/,/)lua"/p' "$(dirname "$0")/../storage/redis/src/usage_script.h" | sed '1d;$d')
sha=$(redis-cli -p "$port" SCRIPT LOAD "$script")
requests=$((seconds * 60000))
raw=$($pin_client redis-benchmark -p "$port" -c 64 -n "$requests" -P 16 -q \
  EVALSHA "$sha" 4 "tollgate:{tok:b}:usage:p" "tollgate:{tok:b}:clients:p" \
  "tollgate:{tok:b}:recent:p:x" "tollgate:{tok:b}:periods" 10.0.0.1 4096 1000000000 -1 -1 0 \
  1700000000000000 0 p | tr '\r' '\n' | grep -E 'requests per second' | tail -1)
echo "redis-benchmark EVALSHA (64 clients, pipeline 16): $raw"
bench_rps=$(echo "$raw" | grep -oE '[0-9.]+ requests per second' | awk '{print $1}')
python3 - "$ledger_rps" "$bench_rps" <<'PY'
import sys
ours, raw = float(sys.argv[1]), float(sys.argv[2])
print(f"ledger/redis-benchmark: {ours / raw:.2f}")
PY
