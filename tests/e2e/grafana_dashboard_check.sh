#!/usr/bin/env bash
# The Grafana dashboard in deploy/grafana/ against the real binary: every panel's query is
# valid PromQL (promtool checks them as recording rules), every metric it names is one the
# running server exposes on /metrics, and every exposed metric is charted by some panel.
# Usage: grafana_dashboard_check.sh PATH/TO/tollgate    Exit status: 0 passed, 1 failed.
set -euo pipefail

TOLLGATE=${1:?usage: grafana_dashboard_check.sh PATH/TO/tollgate}
DASHBOARD="$(dirname "$0")/../../deploy/grafana/tollgate-dashboard.json"
command -v promtool >/dev/null || { echo "FAIL: promtool is missing (deploy/install-deps.sh)"; exit 1; }

source "$(dirname "$0")/lib.sh"
start_tollgate

"${CURL[@]}" -f -o "$WORK/metrics.txt" "http://127.0.0.1:$ADMIN_PORT/metrics" || fail "GET /metrics"

python3 - "$DASHBOARD" "$WORK/metrics.txt" "$WORK/rules.yml" <<'PY' || fail "dashboard queries"
import json, re, sys
dashboard_path, metrics_path, rules_path = sys.argv[1:4]
dashboard = json.load(open(dashboard_path))
exposed = {m.group(1) for m in re.finditer(r"^# TYPE (\S+) ", open(metrics_path).read(), re.M)}
rules, used = [], set()
for panel in dashboard["panels"]:
    assert panel["targets"], f"panel {panel['title']} has no query"
    for target in panel["targets"]:
        expr = target["expr"].replace("$__rate_interval", "1m").replace("$instance", ".*")
        rules.append((f"panel_{panel['id']}_{target['refId']}", expr))
        for name in re.findall(r"\btollgate_[a-z_]+", expr):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert base in exposed, f"panel {panel['title']!r} names {name}, which /metrics lacks"
            used.add(base)
missing = exposed - used
assert not missing, f"no panel charts {sorted(missing)}"
with open(rules_path, "w") as out:
    out.write("groups:\n- name: dashboard\n  rules:\n")
    for record, expr in rules:
        out.write(f"  - record: {record}\n    expr: {json.dumps(expr)}\n")
print(f"{len(rules)} queries over {len(used)} metrics")
PY
ok "every panel names only exposed metrics, and every exposed metric has a panel"

promtool check rules "$WORK/rules.yml" >"$WORK/promtool.log" 2>&1 ||
  { cat "$WORK/promtool.log"; fail "promtool check rules"; }
ok "promtool: every query is valid PromQL"

stop_server
echo "grafana dashboard checks passed"
