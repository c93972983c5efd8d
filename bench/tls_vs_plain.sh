#!/usr/bin/env bash
# Downloads over TLS next to plain TCP: same binary, same files, same run. 4 KiB with keep-alive
# (wrk -t1 -c16, requests/s) and 256 MiB (curl to /dev/null, MB/s, best of 3). tollgate runs one
# thread on core 0, the clients on core 1. Prints one table and the TLS/plain ratios.
# Usage: bench/tls_vs_plain.sh TOLLGATE_BINARY [SECONDS]
set -euo pipefail
binary=$(realpath "${1:?usage: $0 TOLLGATE_BINARY [SECONDS]}")
seconds=${2:-10}
source "$(dirname "$0")/lib.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
export CURL_CA_BUNDLE="$work/cert.pem"  # curl (wait_for, the 256 MiB runs) trusts it
mkdir -p "$work/artifacts/default/bench"
head -c 4096 /dev/urandom > "$work/artifacts/default/bench/small.bin"
head -c $((256 << 20)) /dev/urandom > "$work/artifacts/default/bench/big.bin"

# measure MODE SCHEME: starts an instance (its own data folder), prints "MODE rps MBps".
measure() {
  local mode=$1 scheme=$2
  tollgate_data="$work/data-$mode"
  serve_args=()
  if [ "$scheme" = https ]; then
    serve_args=(--tls-cert "$work/cert.pem" --tls-key "$work/key.pem")
  fi
  start_tollgate "$binary" taskset -c 0
  local token
  token=$(repository_token bench)
  local base="$scheme://$download/$token/default/bench"
  wait_for "$base/small.bin"
  local rps
  rps=$(taskset -c 1 wrk -t1 -c16 -d"${seconds}s" "$base/small.bin" |
    awk '/Requests\/sec/ {print $2}')
  local best=0
  for _ in 1 2 3; do
    local speed
    speed=$(taskset -c 1 curl -fsS -o /dev/null -w '%{speed_download}' "$base/big.bin")
    best=$(python3 -c "print(max($best, $speed / 1e6))")
  done
  kill -TERM "$tollgate_pid"
  wait "$tollgate_pid" 2>/dev/null || true
  printf '%s %s %.0f\n' "$mode" "$rps" "$best"
}

plain=$(measure plain http)
tls=$(measure tls https)
echo "| transport | 4 KiB requests/s | 256 MiB MB/s |"
echo "|---|---|---|"
for row in "$plain" "$tls"; do
  read -r mode rps mbps <<< "$row"
  echo "| $mode | $rps | $mbps |"
done
read -r _ plain_rps plain_mbps <<< "$plain"
read -r _ tls_rps tls_mbps <<< "$tls"
python3 -c "print(f'| TLS / plain | {$tls_rps / $plain_rps:.2f} | {$tls_mbps / $plain_mbps:.2f} |')"
