#!/usr/bin/env bash
# End-to-end check of `tollgate load` against the real tollgate: a token limited to 5 downloads
# asked 20 times answers 5 × 200 and 15 × 403 download_limit_reached, and the load generator
# reports exactly that (summary, --json, --report) without ever printing the token.
# Usage: load_e2e.sh PATH/TO/tollgate      Exit status: 0 all checks passed, 1 a check failed.
set -euo pipefail

TOLLGATE=${1:?usage: load_e2e.sh PATH/TO/tollgate}
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

source "$(dirname "$0")/lib.sh"
start_tollgate --dedupe-window 0 # every download counts, so the limit is reached at the 6th

create_repo agents
create_token agents '{"name":"load-test","limit_num_downloads":5}'
head -c 4096 /dev/urandom >"$WORK/agent.whl"
upload agents pool/agent-1.0-py3-none-any.whl "$WORK/agent.whl"
URL="$DL/$TOKEN/default/agents/pool/agent-1.0-py3-none-any.whl"

"$TOLLGATE" load "$URL" --requests 20 --connections 4 --threads 2 \
  --json "$WORK/load.json" --report "$WORK/load.html" >"$WORK/load.out" 2>"$WORK/load.err" ||
  fail "tollgate load exited $? ($(cat "$WORK/load.err"))"
cat "$WORK/load.out"

python3 - "$WORK/load.json" <<'PY' || fail "load JSON does not show 5 x 200 and 15 x 403"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["requests"] == 20 and r["errors"] == 0, r
assert r["status"] == {"200": 5, "403": 15}, r["status"]
assert r["reasons"] == {"download_limit_reached": 15}, r["reasons"]
for field in ("duration_s", "requests_per_s", "bytes", "latency_ms"):
    assert field in r, field
for field in ("p50", "p90", "p99", "p999", "max"):
    assert field in r["latency_ms"], field
PY
ok "tollgate load counted 5 x 200 and 15 x 403 download_limit_reached"

grep -q "download_limit_reached: 15" "$WORK/load.out" || fail "the summary lacks the reason count"
for f in load.out load.err load.json load.html; do
  if grep -q "$TOKEN" "$WORK/$f"; then fail "$f holds the token"; fi
done
ok "no output holds the token"

grep -q '<svg id="throughput-chart"' "$WORK/load.html" || fail "the report lacks its charts"
ok "the HTML report was written"

code=0
"$TOLLGATE" load "$URL" --connections 0 2>"$WORK/bad.err" >/dev/null || code=$?
[[ $code == 2 ]] || fail "--connections 0 exited $code, not 2"
grep -q -- "--connections" "$WORK/bad.err" || fail "the error does not name --connections"
[[ $(wc -l <"$WORK/bad.err") == 1 ]] || fail "the error is not one line"
ok "a bad option exits 2 with one line naming it"
