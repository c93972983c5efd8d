#!/usr/bin/env bash
# Package-manager views of a large project: a Python project page and an npm packument with
# 1,000 versions each, for a token without a scope and one whose scope keeps half of them.
# Prints, per view and token: the first answer (rendered from the catalog, already in memory),
# the next one (from the view cache), and requests/s with keep-alive (wrk -t1 -c16; tollgate
# one thread on core 0, wrk on core 1). Also how long the first view of the repository waited
# for the catalog to index the 2,000 hand-placed files.
# Usage: bench/views.sh TOLLGATE_BINARY [SECONDS]
set -euo pipefail
binary=$(realpath "${1:?usage: $0 TOLLGATE_BINARY [SECONDS]}")
seconds=${2:-5}
source "$(dirname "$0")/lib.sh"

versions=1000
folder="$work/artifacts/default/views"
mkdir -p "$folder"
python3 - "$folder" "$versions" <<'PY'
import io, json, os, sys, tarfile, zipfile
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{folder}/@acme/agent/-", exist_ok=True)
for i in range(count):
    version = f"{i // 100}.{i % 100}.0"
    info = f"agent-{version}.dist-info"
    with zipfile.ZipFile(f"{folder}/agent-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"{info}/METADATA", f"Name: agent\nVersion: {version}\nRequires-Python: >=3.8\n")
    manifest = json.dumps({"name": "@acme/agent", "version": version, "description": "bench",
                           "main": "index.js", "license": "MIT"}).encode()
    with tarfile.open(f"{folder}/@acme/agent/-/agent-{version}.tgz", "w:gz") as tarball:
        member = tarfile.TarInfo("package/package.json")
        member.size = len(manifest)
        tarball.addfile(member, io.BytesIO(manifest))
PY

start_tollgate "$binary" taskset -c 0
unscoped=$(repository_token views)
scoped=$(curl -fsS -H "X-Api-Key: $key" -X POST "http://$admin/api/v1/entitlements/default/views/" \
  -d '{"name":"scoped","limit_package_query":"version:<5"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

seconds_of() { curl -fsS -o /dev/null -w '%{time_total}' "$@"; }

started=$(date +%s%N)
curl -fsS -o /dev/null "http://$download/$unscoped/default/views/-/pypi/simple/"
printf 'first view of the repository (catalog indexes %d hand-placed files): %d ms\n' \
  $((2 * versions)) $((($(date +%s%N) - started) / 1000000))

printf '%-8s %-9s %12s %12s %10s %12s\n' view token "render ms" "cached ms" "size KiB" "requests/s"
for view in pypi npm; do
  for kind in unscoped scoped; do
    token=${!kind}
    if [ "$view" = pypi ]; then
      url="http://$download/$token/default/views/-/pypi/simple/agent/"
    else
      url="http://$download/$token/default/views/-/npm/@acme%2fagent"
    fi
    render=$(seconds_of "$url")
    cached=$(seconds_of "$url")
    size=$(curl -fsS "$url" | wc -c)
    rps=$(taskset -c 1 wrk -t1 -c16 -d"${seconds}s" "$url" | awk '/Requests\/sec/ {print $2}')
    printf '%-8s %-9s %12.2f %12.2f %10.1f %12s\n' "$view" "$kind" \
      "$(python3 -c "print($render * 1000)")" "$(python3 -c "print($cached * 1000)")" \
      "$(python3 -c "print($size / 1024)")" "$rps"
  done
done
