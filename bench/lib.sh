# Shared plumbing of the benchmark scripts: a temp folder and the processes to stop at exit,
# free ports, waiting for a URL, and a tollgate with one repository and a token for it.
# Source it after `set -euo pipefail`; it sets `work` and an EXIT trap.

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run unprivileged and must reach the files
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }

# start_tollgate BINARY [PREFIX_COMMAND…]: one thread on $work/artifacts and the data folder
# ${tollgate_data:-$work/data}, with the extra serve options in the array `serve_args` (if
# set); sets `download` and `admin` (host:port), `key` (the bootstrap admin key, when this
# instance made one: a second instance on the same Redis keeps the first one's) and
# `tollgate_pid`.
start_tollgate() {
  local binary=$1
  shift
  local data=${tollgate_data:-$work/data}
  local log="$data.log"
  mkdir -p "$data" "$work/artifacts"
  : > "$log"  # before the wait below greps it
  "$@" "$binary" serve --threads 1 --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
    --data-dir "$data" --artifacts "$work/artifacts" ${serve_args[@]+"${serve_args[@]}"} \
    2> "$log" &
  tollgate_pid=$!
  pids+=($tollgate_pid)
  for _ in $(seq 1 100); do grep -q " listening " "$log" && break; sleep 0.1; done
  download=$(grep -o 'download=[0-9.:]*' "$log" | head -1 | cut -d= -f2)
  admin=$(grep -o 'admin=[0-9.:]*' "$log" | head -1 | cut -d= -f2)
  if [ -f "$data/admin-api-key" ]; then key=$(cat "$data/admin-api-key"); fi
}

# repository_token SLUG [STORAGE_JSON]: creates private repository default/SLUG (stored at
# STORAGE_JSON when given) and prints the string of a new token for it. Never log it.
repository_token() {
  local storage=${2:-'{"type":"fs"}'}
  curl -fsS -o /dev/null -H "X-Api-Key: $key" -X POST "http://$admin/api/v1/repos/default/" \
    -d "{\"slug\":\"$1\",\"repository_type\":\"private\",\"storage\":$storage}"
  curl -fsS -H "X-Api-Key: $key" -X POST "http://$admin/api/v1/entitlements/default/$1/" \
    -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# start_nginx ROOT [MAIN_DIRECTIVE…]: one nginx worker serving ROOT with sendfile and the access
# log on (tollgate logs every request too); sets `nginx_port`. Extra top-level directives
# (e.g. "worker_cpu_affinity 1;") go before the events block.
start_nginx() {
  local root=$1
  shift
  nginx_port=$(free_port)
  mkdir -p "$work/nginx"
  {
    echo "worker_processes 1;"
    printf '%s\n' "$@"
    cat <<CONF
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  server { listen 127.0.0.1:$nginx_port; root $root; }
}
CONF
  } > "$work/nginx/nginx.conf"
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
  pids+=($!)
}
