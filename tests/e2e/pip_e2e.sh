#!/usr/bin/env bash
# End-to-end check of the Python view with the real pip (python3-pip): wheels built here with
# zipfile, uploaded through the admin API; a token scoped to version:<3.0 resolves 2.x from the
# generated simple index on both credential forms pip has (the token as the URL's user name,
# and the token in the path), never sees 3.0, and is still refused 3.0 when asking directly.
# Downloads through the view count like any other; the index pages never do. A wheel placed in
# the artifacts folder by hand shows in the view within 10 s.
# Usage: pip_e2e.sh PATH/TO/tollgate      Exit status: 0 passed, 1 failed, 77 skipped.
set -euo pipefail

TOLLGATE=${1:?usage: pip_e2e.sh PATH/TO/tollgate}
python3 -m pip --version >/dev/null 2>&1 || { echo "SKIP: python3-pip is not installed"; exit 77; }

source "$(dirname "$0")/lib.sh"
start_tollgate --dedupe-window 0  # every download counts, so the test can count them

# make_wheel VERSION REQUIRES_PYTHON OUT_DIR: a pure-Python wheel of acme-agent.
make_wheel() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile
version, requires_python, out = sys.argv[1:4]
info = f"acme_agent-{version}.dist-info"
with zipfile.ZipFile(f"{out}/acme_agent-{version}-py3-none-any.whl", "w") as wheel:
    wheel.writestr("acme_agent/__init__.py", f'VERSION = "{version}"\n')
    wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: acme-agent\n"
                   f"Version: {version}\nRequires-Python: {requires_python}\n\n")
    wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: tollgate-e2e\n"
                   "Root-Is-Purelib: true\nTag: py3-none-any\n")
    wheel.writestr(f"{info}/RECORD", "")
PY
}

mkdir -p "$WORK/wheels"
create_repo agents
for version in 1.0.0 2.0.0 3.0.0; do
  make_wheel "$version" ">=3.7" "$WORK/wheels"
  upload agents "acme_agent-$version-py3-none-any.whl" \
    "$WORK/wheels/acme_agent-$version-py3-none-any.whl"
done
create_token agents '{"name":"customer-42","limit_package_query":"version:<3.0"}'
ok "uploaded acme-agent 1.0.0, 2.0.0, 3.0.0; token scoped to version:<3.0"

BASIC_INDEX="http://$TOKEN@127.0.0.1:$DOWNLOAD_PORT/basic/default/agents/-/pypi/simple/"
PATH_INDEX="$DL/$TOKEN/default/agents/-/pypi/simple/"

# The view itself: 2.0.0 listed with its sha256 and Requires-Python, 3.0.0 absent.
page=$("${CURL[@]}" -f "$PATH_INDEX/acme-agent/")
grep -q 'acme_agent-2.0.0-py3-none-any.whl#sha256=' <<<"$page" || fail "2.0.0 not in the page"
grep -q 'data-requires-python="&gt;=3.7"' <<<"$page" || fail "no data-requires-python"
grep -q 'acme_agent-3.0.0' <<<"$page" && fail "3.0.0 is listed for a token scoped to <3.0"
json=$("${CURL[@]}" -f -H 'Accept: application/vnd.pypi.simple.v1+json' "$PATH_INDEX/acme-agent/")
python3 - "$json" <<'PY' || fail "PEP 691 JSON page is wrong"
import json, sys
page = json.loads(sys.argv[1])
names = sorted(f["filename"] for f in page["files"])
assert names == ["acme_agent-1.0.0-py3-none-any.whl", "acme_agent-2.0.0-py3-none-any.whl"], names
assert all(len(f["hashes"]["sha256"]) == 64 and f["requires-python"] == ">=3.7" for f in page["files"])
PY
ok "the project page lists 1.0.0 and 2.0.0 (HTML and PEP 691 JSON), not 3.0.0"

location=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "$PATH_INDEX/Acme_Agent/")
[[ $location == "301 ${PATH_INDEX}acme-agent/" ]] || fail "no 301 to the normalised name: $location"
ok "a non-normalised project name redirects 301 to the normalised one"

[[ $(downloads_of agents) == 0 ]] || fail "viewing the index counted a download"

PIP=(python3 -m pip --disable-pip-version-check --no-cache-dir --no-input --timeout 20)
export PIP_CONFIG_FILE=/dev/null

"${PIP[@]}" download --no-deps -d "$WORK/basic" --index-url "$BASIC_INDEX" acme-agent \
  >"$WORK/pip-basic.log" 2>&1 || { cat "$WORK/pip-basic.log"; fail "pip download (token@host)"; }
[[ -f "$WORK/basic/acme_agent-2.0.0-py3-none-any.whl" ]] ||
  fail "pip download with the token as user name did not get 2.0.0: $(ls "$WORK/basic")"
ok "pip download --index-url https://TOKEN@host/basic/… got 2.0.0"

"${PIP[@]}" install --no-deps --target "$WORK/target" --index-url "$PATH_INDEX" acme-agent \
  >"$WORK/pip-path.log" 2>&1 || { cat "$WORK/pip-path.log"; fail "pip install (token in path)"; }
installed=$(PYTHONPATH="$WORK/target" python3 -c 'import acme_agent; print(acme_agent.VERSION)')
[[ $installed == 2.0.0 ]] || fail "pip install --target installed $installed"
ok "pip install --target with the token in the path installed 2.0.0"

[[ $(downloads_of agents) == 2 ]] || fail "two wheel downloads should count 2: $(downloads_of agents)"
ok "the two wheel downloads counted exactly 2; the index pages none"

result=$(status_and_reason "$DL/$TOKEN/default/agents/acme_agent-3.0.0-py3-none-any.whl")
[[ $result == "403 package_not_allowed" ]] || fail "direct 3.0.0: $result"
ok "a direct request for 3.0.0 is still 403 package_not_allowed"

# A wheel placed in the folder by hand, as vendors' scripts do.
make_wheel 2.5.0 ">=3.8" "$WORK/artifacts/default/agents"
started=$(date +%s%N)
for _ in $(seq 1 100); do
  "${CURL[@]}" -f "$PATH_INDEX/acme-agent/" | grep -q 'acme_agent-2.5.0' && break
  sleep 0.1
done
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
"${CURL[@]}" -f "$PATH_INDEX/acme-agent/" | grep -q 'acme_agent-2.5.0' ||
  fail "a hand-placed wheel did not show within 10 s"
ok "a hand-placed wheel showed in the view after ${elapsed_ms} ms"

"${PIP[@]}" download --no-deps -d "$WORK/hand" --index-url "$BASIC_INDEX" acme-agent \
  >"$WORK/pip-hand.log" 2>&1 || { cat "$WORK/pip-hand.log"; fail "pip download after hand-placing"; }
[[ -f "$WORK/hand/acme_agent-2.5.0-py3-none-any.whl" ]] || fail "pip did not pick 2.5.0"
ok "pip picked the hand-placed 2.5.0"

stop_server
echo "all e2e pip checks passed"
