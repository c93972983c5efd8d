#!/usr/bin/env bash
# How fast an instance catches up from the Redis change log. Two instances, A and B, share one
# redis-server; B is frozen (SIGSTOP) while 10,000 tokens are created through A, then thawed:
# the figure is the time from the thaw until B answers for the last of them (B's connection
# outlives the freeze, or is made again when its deadline passed: either way B resumes from
# its position). It also prints how many full loads B made (none is expected) and, for scale,
# the time a third instance takes to load the same Redis in full at start. Prints figures;
# asserts nothing.
# Usage: bench/changelog_catchup.sh [BUILD_DIR] [CHANGES]
set -euo pipefail
build=${1:-build}
changes=${2:-10000}
binary="$build/gateway/tollgate"
source "$(dirname "$0")/lib.sh"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
serve_args=(--redis "redis://127.0.0.1:$redis_port")

tollgate_data=$work/a start_tollgate "$binary"
admin_a=$admin
repository_token catchup > /dev/null
tollgate_data=$work/b start_tollgate "$binary"
admin_b=$admin
pid_b=$tollgate_pid

python3 - "$admin_a" "$admin_b" "$key" "$pid_b" "$changes" <<'PY'
import http.client, json, os, signal, sys, time

admin_a, admin_b, key, pid_b, changes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
headers = {"X-Api-Key": key, "Content-Type": "application/json"}

def connect(address):
    host, port = address.rsplit(":", 1)
    return http.client.HTTPConnection(host, int(port), timeout=30)

def status_of(connection, path):
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status

base = "/api/v1/entitlements/default/catchup/"
a = connect(admin_a)
os.kill(pid_b, signal.SIGSTOP)
started = time.monotonic()
last = None
for i in range(changes):
    a.request("POST", base, body=json.dumps({"name": f"customer-{i}"}), headers=headers)
    response = a.getresponse()
    body = response.read()
    if response.status != 201:
        sys.exit(f"creating token {i}: HTTP {response.status} {body[:200]!r}")
    last = json.loads(body)["identifier"]
written = time.monotonic() - started
print(f"{changes} tokens created through A while B was frozen: {written:.2f} s "
      f"({changes / written:,.0f} writes/s)")

b = connect(admin_b)
os.kill(pid_b, signal.SIGCONT)
thawed = time.monotonic()
deadline = thawed + 60
while status_of(b, base + last + "/") != 200:
    if time.monotonic() > deadline:
        sys.exit("B did not catch up within 60 s")
    time.sleep(0.002)
caught_up = time.monotonic() - thawed
print(f"B caught up with {changes} changes from the log in {caught_up * 1000:,.0f} ms "
      f"({changes / caught_up:,.0f} changes/s)")
PY

echo "full loads by B during the run: $(grep -c store_reload "$work/b.log" || true)"

# For scale: a full load of the same Redis, as at start (from launch until listening).
started=$(date +%s.%N)
tollgate_data=$work/c start_tollgate "$binary"
python3 -c "import sys; print(f'a new instance C loaded everything and listened in {(float(sys.argv[2]) - float(sys.argv[1])) * 1000:,.0f} ms')" \
  "$started" "$(date +%s.%N)"
