#!/usr/bin/env bash
# Download latency (wrk -t1 -c32 --latency, 4 KiB file, token URL) with no admin traffic, then
# during a burst of entitlement-token creations through the admin API: shows whether admin
# writes move the download p99. Server on core 0 (SERVER_CPUS, e.g. SERVER_CPUS=0,1 to let its
# admin thread use the other core too), wrk and the burst client on core 1.
# Usage: bench/admin_burst_p99.sh TOLLGATE_BINARY [SECONDS] [TOKENS] [RATE]
# RATE (creations/s, 0 = as fast as the server answers) paces the burst, so two binaries can be
# compared doing the same admin work in the same window.
set -euo pipefail
binary=$(realpath "${1:?usage: $0 TOLLGATE_BINARY [SECONDS] [TOKENS] [RATE]}")
seconds=${2:-15}
tokens=${3:-2000}
rate=${4:-0}
source "$(dirname "$0")/lib.sh"

mkdir -p "$work/artifacts/default/bench"
head -c 4096 /dev/urandom > "$work/artifacts/default/bench/file.bin"
server_cpus=${SERVER_CPUS:-0}
start_tollgate "$binary" taskset -c "$server_cpus"
echo "tollgate: $binary, serve --threads 1 (lib.sh start_tollgate), embedded store," \
  "cores $server_cpus" >&2
token=$(repository_token bench)  # unlimited: no limits, no scopes
url="http://$download/$token/default/bench/file.bin"
wait_for "$url"

# run_wrk PHASE: one wrk run; writes its output (token masked) to $work/PHASE.wrk.
run_wrk() {
  taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency "$url" \
    | sed -e "s/$token/<token>/g" > "$work/$1.wrk"
  sed 's/^/    /' "$work/$1.wrk" >&2
  if grep -qE 'Non-2xx|Socket errors' "$work/$1.wrk"; then echo "errors in phase $1" >&2; fi
}

# The burst: one python3 process, one keep-alive connection, requests one after the other.
# Stops after $tokens creations, or when phase B is about to end, whichever comes first, so
# the whole burst falls inside the measured window.
cat > "$work/burst.py" <<'PY'
import http.client, json, sys, time
host, port = sys.argv[1].rsplit(":", 1)
key, count, budget = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
rate = float(sys.argv[5])
headers = {"X-Api-Key": key, "Content-Type": "application/json"}
conn = http.client.HTTPConnection(host, int(port), timeout=30)
created = failed = 0
start = time.monotonic()
for i in range(count):
    if time.monotonic() - start > budget:
        break
    if rate > 0:  # the i-th creation is due at start + i / rate
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
    conn.request("POST", "/api/v1/entitlements/default/bench/",
                 body=json.dumps({"name": f"burst-{i}"}), headers=headers)
    answer = conn.getresponse()
    answer.read()
    if answer.status == 201 or answer.status == 200:
        created += 1
    else:
        failed += 1
        if failed == 1:
            print(f"first failure: HTTP {answer.status}", file=sys.stderr)
    if answer.getheader("Connection", "").lower() == "close":
        conn.close()
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
elapsed = time.monotonic() - start
print(f"{created} {failed} {elapsed:.3f}")
PY

echo "phase A: quiet, ${seconds}s" >&2
run_wrk quiet

echo "phase B: ${seconds}s with a burst of $tokens token creations starting after 1 s" \
  "(rate: ${rate}/s, 0 = unpaced)" >&2
run_wrk burst &
wrk_pid=$!
sleep 1
burst=$(taskset -c 1 python3 "$work/burst.py" "$admin" "$key" "$tokens" \
  "$((seconds > 3 ? seconds - 2 : 1))" "$rate")
wait "$wrk_pid"
read -r created failed burst_seconds <<< "$burst"

python3 - "$work/quiet.wrk" "$work/burst.wrk" "$created" "$failed" "$burst_seconds" \
  "$seconds" "$tokens" <<'PY'
import re, sys
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
def ms(text):
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]
def parse(path):
    out = open(path).read()
    latency = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)
    pct = dict(re.findall(r"^\s*(50|75|90|99)%\s+(\S+)", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    return rps, ms(pct["50"]), ms(pct["90"]), ms(pct["99"]), ms(latency.group(3))
created, failed, took, phase = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
print(f"{'phase':<16}{'req/s':>10}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}{'max ms':>10}")
for name, path in (("A quiet", sys.argv[1]), ("B admin burst", sys.argv[2])):
    rps, p50, p90, p99, top = parse(path)
    print(f"{name:<16}{rps:>10,.0f}{p50:>10.3f}{p90:>10.3f}{p99:>10.3f}{top:>10.3f}")
rate = created / took if took > 0 else 0
print(f"admin burst: {created} of {sys.argv[7]} tokens created ({failed} failed) in {took:.2f} s = {rate:,.0f}/s, "
      f"during phase B ({phase} s; burst from t=1 s, "
      f"{min(took, float(phase) - 1) / float(phase):.0%} of the phase)")
PY
