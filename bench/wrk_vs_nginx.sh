#!/usr/bin/env bash
# Requests/s of one small file through a tollgate token URL next to the same file served by
# nginx, both pinned to core 0 with one worker, wrk pinned to core 1. Prints both figures
# and their ratio. Usage: bench/wrk_vs_nginx.sh [TOLLGATE_BINARY] [SECONDS] [FILE_BYTES]
set -euo pipefail
binary=$(realpath "${1:-build/gateway/tollgate}")
seconds=${2:-30}
size=${3:-4096}
source "$(dirname "$0")/lib.sh"

# tollgate, one thread on core 0
mkdir -p "$work/artifacts/default/bench"
head -c "$size" /dev/urandom > "$work/artifacts/default/bench/file.bin"
start_tollgate "$binary" taskset -c 0
token=$(repository_token bench)
tollgate_url="http://$download/$token/default/bench/file.bin"
wait_for "$tollgate_url"

# nginx, one worker on core 0, same file, access log on (tollgate logs every request too)
start_nginx "$work/artifacts" "worker_cpu_affinity 1;"
nginx_url="http://127.0.0.1:$nginx_port/default/bench/file.bin"
wait_for "$nginx_url"

run_wrk() {  # prints requests/s; fails when wrk saw errors or non-2xx answers
  local out
  out=$(taskset -c 1 wrk -t1 -c64 -d"${seconds}s" "$1")
  # The token is a secret: never print it, not even a benchmark's throwaway one.
  echo "$out" | sed -e "s/$token/<token>/g" -e 's/^/    /' >&2
  if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "errors in run against $1" >&2; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
echo "tollgate ($size-byte file, token URL):" >&2
tollgate_rps=$(run_wrk "$tollgate_url")
echo "nginx (same file):" >&2
nginx_rps=$(run_wrk "$nginx_url")
python3 - "$tollgate_rps" "$nginx_rps" <<'PY'
import sys
t, n = float(sys.argv[1]), float(sys.argv[2])
print(f"tollgate {t:,.0f} req/s   nginx {n:,.0f} req/s   tollgate/nginx {t / n:.2f}")
PY
