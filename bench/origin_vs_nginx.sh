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
source "$(dirname "$0")/lib.sh"

# The origin: nginx, one worker, serving a random file from its page cache.
mkdir -p "$work/origin/pool"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/origin/pool/big.bin"
start_nginx "$work/origin"
nginx_url="http://127.0.0.1:$nginx_port/pool/big.bin"
wait_for "$nginx_url"

# tollgate, one thread, with a repository stored at that nginx and a token for it. The origin
# is on loopback, which tollgate refuses as an origin address unless allowed.
TOLLGATE_ORIGIN_ALLOW=127.0.0.0/8 start_tollgate "$binary"
token=$(repository_token mirror "{\"type\":\"http\",\"url\":\"http://127.0.0.1:$nginx_port/\"}")
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
