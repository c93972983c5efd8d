#!/usr/bin/env bash
# Throughput of one large file fetched through tollgate from an nginx origin (a repository
# with storage {"type": "http"}) next to the same file fetched straight from that nginx, in
# the same run: ROUNDS alternating curl downloads of each, to /dev/null. Prints MB/s
# (10^6 bytes) for both and their ratio.
# Usage: bench/origin_vs_nginx.sh [TOLLGATE_BINARY] [ROUNDS] [FILE_MIB]
set -euo pipefail
binary=$(realpath "${1:-build/gateway/tollgate}")
rounds=${2:-10}
size_mib=${3:-256}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }

# The origin: nginx, one worker, serving a random file from its page cache.
nginx_port=$(free_port)
mkdir -p "$work/origin/pool" "$work/nginx"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/origin/pool/big.bin"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  server { listen 127.0.0.1:$nginx_port; root $work/origin; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
pids+=($!)
nginx_url="http://127.0.0.1:$nginx_port/pool/big.bin"
wait_for "$nginx_url"

# tollgate, one thread, with a repository stored at that nginx and a token for it.
mkdir -p "$work/data"
"$binary" serve --threads 1 --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --data-dir "$work/data" --artifacts "$work/artifacts" 2> "$work/tollgate.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q " listening " "$work/tollgate.log" && break; sleep 0.1; done
download=$(grep -o 'download=[0-9.:]*' "$work/tollgate.log" | head -1 | cut -d= -f2)
admin=$(grep -o 'admin=[0-9.:]*' "$work/tollgate.log" | head -1 | cut -d= -f2)
key=$(cat "$work/data/admin-api-key")
curl -fsS -o /dev/null -H "X-Api-Key: $key" -X POST "http://$admin/api/v1/repos/default/" \
  -d "{\"slug\":\"mirror\",\"repository_type\":\"private\",\"storage\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:$nginx_port/\"}}"
token=$(curl -fsS -H "X-Api-Key: $key" -X POST "http://$admin/api/v1/entitlements/default/mirror/" \
  -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
tollgate_url="http://$download/$token/default/mirror/pool/big.bin"
wait_for "$tollgate_url"

fetch() {  # prints "bytes seconds"; fails unless the whole file arrived with a 200
  local out
  out=$(curl -sS -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$1")
  read -r code bytes seconds <<< "$out"
  if [[ $code != 200 || $bytes != $((size_mib * 1024 * 1024)) ]]; then
    echo "bad fetch ($code, $bytes bytes)" >&2
    exit 1
  fi
  echo "$bytes $seconds"
}
# CPU seconds (user + system) tollgate has used so far; only its own rounds add to it.
tollgate_pid=${pids[1]}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$tollgate_pid/stat"; }
tollgate_runs=()
nginx_runs=()
cpu_before=$(cpu_ticks)
for _ in $(seq 1 "$rounds"); do
  tollgate_runs+=("$(fetch "$tollgate_url")")
  nginx_runs+=("$(fetch "$nginx_url")")
done
cpu_after=$(cpu_ticks)
python3 - "$size_mib" "$rounds" "$((cpu_after - cpu_before))" "$(getconf CLK_TCK)" \
  "${tollgate_runs[@]}" -- "${nginx_runs[@]}" <<'PY'
import sys
size, rounds, ticks, hz, rest = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
split = rest.index("--")
def total(runs):
    pairs = [r.split() for r in runs]
    return sum(float(b) for b, _ in pairs), sum(float(s) for _, s in pairs)
(tb, ts), (nb, ns) = total(rest[:split]), total(rest[split + 1:])
t, n = tb / ts / 1e6, nb / ns / 1e6
print(f"{size} MiB file, {rounds} rounds each: tollgate from nginx origin {t:,.0f} MB/s   "
      f"nginx direct {n:,.0f} MB/s   tollgate/nginx {t / n:.2f}   "
      f"tollgate CPU {ticks / hz / (tb / 1e9):.2f} s per GB relayed")
PY
