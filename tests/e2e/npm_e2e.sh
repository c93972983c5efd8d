#!/usr/bin/env bash
# End-to-end check of the npm view with the real npm: @acme/agent 1.0.0, 2.0.0 and 3.0.0 packed
# here with `npm pack`, uploaded through the admin API; a token scoped to version:<3.0 installs
# 2.0.0 through the generated registry on both credential forms npm has (`_authToken` for the
# registry URL, also as the registry of the @acme scope alone, and the token in the path),
# never sees 3.0.0, and is still refused 3.0.0 when asking directly. Tarball downloads through
# the view count like any other; packuments never do. A tarball placed in the artifacts folder
# by hand shows within 10 s, with its package.json. npm is configured with this registry alone
# and a dead proxy for every other host, and every request it made is checked to have gone to
# tollgate.
# Usage: npm_e2e.sh PATH/TO/tollgate      Exit status: 0 passed, 1 failed, 77 skipped.
set -euo pipefail

TOLLGATE=${1:?usage: npm_e2e.sh PATH/TO/tollgate}
command -v npm >/dev/null 2>&1 || { echo "SKIP: npm is not installed"; exit 77; }

source "$(dirname "$0")/lib.sh"
start_tollgate --dedupe-window 0  # every download counts, so the test can count them

# npmrc FILE REGISTRY [LINE…]: an .npmrc naming REGISTRY as the only registry. Any other host
# would go through a proxy that refuses connections, and a failure is not retried.
npmrc() {
  local file=$1 registry=$2
  shift 2
  {
    echo "registry=$registry"
    printf '%s\n' "$@"
    echo "audit=false"
    echo "fund=false"
    echo "update-notifier=false"
    echo "fetch-retries=0"
    echo "proxy=http://127.0.0.1:9/"
    echo "https-proxy=http://127.0.0.1:9/"
    echo "noproxy=127.0.0.1"
  } >"$file"
}

# run_npm NAME NPMRC ARGS…: npm with NPMRC as its only configuration (no global or user file,
# no npm_config_* from the environment), its cache and HOME in WORK, its output in
# $WORK/npm-NAME.out and every HTTP request it made logged in $WORK/npm-NAME.log; prints that
# log and fails when npm does.
run_npm() {
  local name=$1 rc=$2
  shift 2
  mkdir -p "$WORK/home"
  : >"$WORK/empty-npmrc"
  env -i PATH="$PATH" HOME="$WORK/home" timeout 120 \
    npm --userconfig "$rc" --globalconfig "$WORK/empty-npmrc" --cache "$WORK/cache-$name" \
    --loglevel http "$@" >"$WORK/npm-$name.out" 2>"$WORK/npm-$name.log" ||
    { cat "$WORK/npm-$name.out" "$WORK/npm-$name.log"; fail "npm $name"; }
  # npm logs each request as "npm http fetch GET 200 URL …": all of them went to tollgate.
  local foreign
  foreign=$(grep -E '^npm http fetch ' "$WORK/npm-$name.log" | grep -vF " $DL/" || true)
  [[ -z $foreign ]] || fail "npm $name asked another host: $foreign"
}

# pack VERSION: $WORK/acme-agent-VERSION.tgz, a real `npm pack` of a generated folder.
npmrc "$WORK/pack.npmrc" "$DL/unused/"
pack() {
  local version=$1
  mkdir -p "$WORK/src/$version"
  cat >"$WORK/src/$version/package.json" <<JSON
{"name": "@acme/agent", "version": "$version", "description": "Acme agent $version",
 "main": "index.js", "license": "UNLICENSED"}
JSON
  echo "module.exports = '$version';" >"$WORK/src/$version/index.js"
  run_npm "pack-$version" "$WORK/pack.npmrc" pack --pack-destination "$WORK" "$WORK/src/$version"
  [[ -f "$WORK/acme-agent-$version.tgz" ]] || fail "npm pack made no acme-agent-$version.tgz"
}

create_repo agents
for version in 1.0.0 2.0.0 3.0.0; do
  pack "$version"
  upload agents "@acme/agent/-/agent-$version.tgz" "$WORK/acme-agent-$version.tgz"
done
create_token agents '{"name":"customer-42","limit_package_query":"version:<3.0"}'
ok "uploaded @acme/agent 1.0.0, 2.0.0, 3.0.0 (npm pack); token scoped to version:<3.0"

PATH_REGISTRY="$DL/$TOKEN/default/agents/-/npm/"
BASIC_REGISTRY="$DL/basic/default/agents/-/npm/"

# The packument itself, on both credential forms: 1.0.0 and 2.0.0 with their package.json and
# digests, latest 2.0.0, tarballs under the registry URL of the same form.
check_packument() {
  local registry=$1
  shift
  "${CURL[@]}" -f "$@" -o "$WORK/packument.json" "${registry}@acme%2fagent" ||
    fail "no packument at ${registry}@acme%2fagent"
  python3 - "$WORK/packument.json" "$registry" "$WORK" <<'PY' || fail "packument is wrong"
import base64, hashlib, json, sys
packument, registry, work = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert packument["name"] == packument["_id"] == "@acme/agent", packument
assert sorted(packument["versions"]) == ["1.0.0", "2.0.0"], packument["versions"].keys()
assert packument["dist-tags"] == {"latest": "2.0.0"}, packument["dist-tags"]
for version, document in packument["versions"].items():
    data = open(f"{work}/acme-agent-{version}.tgz", "rb").read()
    assert document["description"] == f"Acme agent {version}", document
    assert document["_id"] == f"@acme/agent@{version}", document
    dist = document["dist"]
    assert dist["tarball"] == f"{registry}%40acme/agent/-/agent-{version}.tgz", dist
    assert dist["shasum"] == hashlib.sha1(data).hexdigest(), dist
    assert dist["integrity"] == "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert version in packument["time"], packument["time"]
PY
}
check_packument "$PATH_REGISTRY"
check_packument "$BASIC_REGISTRY" -H "Authorization: Bearer $TOKEN"
ok "the packument lists 1.0.0 and 2.0.0 with package.json and digests, latest 2.0.0, not 3.0.0"

result=$(status_and_reason "${PATH_REGISTRY}@acme%2fnothing")
[[ $result == "404 not_found" ]] || fail "an unknown package: $result"
result=$(status_and_reason "${BASIC_REGISTRY}@acme%2fagent")
[[ $result == "401 missing_credentials" ]] || fail "the basic registry without a token: $result"
ok "an unknown package is 404; the registry without credentials is 401"

[[ $(downloads_of agents) == 0 ]] || fail "reading packuments counted a download"

AUTH_LINE="${BASIC_REGISTRY#http:}:_authToken=$TOKEN"
npmrc "$WORK/basic.npmrc" "$BASIC_REGISTRY" "$AUTH_LINE"
run_npm view "$WORK/basic.npmrc" view @acme/agent versions --json
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v == ["1.0.0","2.0.0"], v' \
  "$WORK/npm-view.out" || fail "npm view versions: $(cat "$WORK/npm-view.out")"
ok "npm view @acme/agent versions (_authToken) shows 1.0.0 and 2.0.0"

# check_install NAME REGISTRY: `npm install` NAME put 2.0.0 in $WORK/app-NAME, and fetched its
# tarball below REGISTRY (which also shows that the request log checked in run_npm is there).
check_install() {
  local name=$1 registry=$2 version
  version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$WORK/app-$name/node_modules/@acme/agent/package.json")
  [[ $version == 2.0.0 ]] || fail "npm install ($name) installed $version"
  grep -qF "npm http fetch GET 200 ${registry}%40acme/agent/-/agent-2.0.0.tgz" \
    "$WORK/npm-$name.log" || fail "npm install ($name) did not fetch the tarball below $registry"
}

INSTALL=(install --no-audit --no-fund @acme/agent --prefix)
run_npm basic "$WORK/basic.npmrc" "${INSTALL[@]}" "$WORK/app-basic"
check_install basic "$BASIC_REGISTRY"
ok "npm install with _authToken for /basic/…/-/npm/ installed 2.0.0"

npmrc "$WORK/path.npmrc" "$PATH_REGISTRY"
run_npm path "$WORK/path.npmrc" "${INSTALL[@]}" "$WORK/app-path"
check_install path "$PATH_REGISTRY"
ok "npm install with the token in the registry path installed 2.0.0"

# Only the @acme scope from tollgate; the default registry is a port nobody listens on, so a
# request for anything else would fail the install (and the log check).
npmrc "$WORK/scope.npmrc" "http://127.0.0.1:9/" "@acme:registry=$BASIC_REGISTRY" "$AUTH_LINE"
run_npm scope "$WORK/scope.npmrc" "${INSTALL[@]}" "$WORK/app-scope"
check_install scope "$BASIC_REGISTRY"
ok "npm install with @acme:registry and _authToken installed 2.0.0"

[[ $(downloads_of agents) == 3 ]] ||
  fail "three tarball downloads should count 3: $(downloads_of agents)"
ok "the three tarball downloads counted exactly 3; the packuments none"

for url in "${PATH_REGISTRY}%40acme/agent/-/agent-3.0.0.tgz" \
  "$DL/$TOKEN/default/agents/@acme/agent/-/agent-3.0.0.tgz"; do
  result=$(status_and_reason "$url")
  [[ $result == "403 package_not_allowed" ]] || fail "direct 3.0.0 at $url: $result"
done
[[ $(downloads_of agents) == 3 ]] || fail "a refused download counted"
ok "a direct request for 3.0.0 is still 403 package_not_allowed, through the view or not"

# A tarball placed in the folder by hand, as vendors' scripts do: listed, with its package.json.
pack 2.5.0
mkdir -p "$WORK/artifacts/default/agents/@acme/agent/-"
cp "$WORK/acme-agent-2.5.0.tgz" "$WORK/artifacts/default/agents/@acme/agent/-/agent-2.5.0.tgz"
latest_is_hand_placed() {
  "${CURL[@]}" -f "${PATH_REGISTRY}@acme%2fagent" | python3 -c '
import json, sys
packument = json.load(sys.stdin)
document = packument["versions"].get("2.5.0", {})
sys.exit(packument["dist-tags"]["latest"] != "2.5.0" or
         document.get("description") != "Acme agent 2.5.0")'
}
started=$(date +%s%N)
for _ in $(seq 1 100); do
  latest_is_hand_placed && break
  sleep 0.1
done
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
latest_is_hand_placed || fail "a hand-placed tarball did not show within 10 s"
ok "a hand-placed tarball showed as latest, with its package.json, after ${elapsed_ms} ms"

stop_server
echo "all e2e npm checks passed"
