#!/usr/bin/env bash
# The load generator's own ceiling: `tollgate load` and `wrk`, each with one thread and 64
# connections pinned to core 1, against one nginx worker pinned to core 0 serving a 4 KiB file
# (sendfile on, access log off), alternately, RUNS times each. When both report what nginx
# can serve, the generator is not the bottleneck. Prints requests/s of every run.
# Usage: bench/load_vs_wrk.sh [TOLLGATE_BINARY] [SECONDS] [RUNS]
set -euo pipefail
binary=$(realpath "${1:-build/gateway/tollgate}")
seconds=${2:-10}
runs=${3:-2}
source "$(dirname "$0")/lib.sh"

mkdir -p "$work/root" "$work/nginx"
head -c 4096 /dev/urandom > "$work/root/4k"
port=$(free_port)
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 1000000;
  server { listen 127.0.0.1:$port; root $work/root; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
pids+=($!)
url="http://127.0.0.1:$port/4k"
wait_for "$url"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  taskset -c 1 "$binary" load "$url" --connections 64 --duration "${seconds}s" --quiet \
    --json "$work/load.json" > /dev/null 2>&1
  load_rps=$(python3 - "$work/load.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("%.0f (errors %d, p99 %.2f ms)" % (r["requests_per_s"], r["errors"], r["latency_ms"]["p99"]))
PY
)
  wrk_out=$(taskset -c 1 wrk -t1 -c64 -d"${seconds}s" --latency "$url")
  wrk_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$wrk_out")
  wrk_p99=$(awk '$1 == "99%" {print $2}' <<< "$wrk_out")
  echo "run $run: tollgate load $load_rps req/s   wrk $wrk_rps req/s (p99 $wrk_p99)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
