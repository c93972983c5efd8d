#!/usr/bin/env bash
# The Debian package built from the tree (cpack, as `make deb` does), checked without
# installing it: its control fields and files, the conffile, lintian with no error or warning,
# the systemd unit by systemd-analyze, and the packaged binary started with the packaged
# configuration (its data folder and ports overridden) answering /healthz.
# Usage: deb_package_check.sh BUILD_DIR     Exit status: 0 passed, 1 failed.
set -euo pipefail

BUILD_DIR=$(cd "${1:?usage: deb_package_check.sh BUILD_DIR}" && pwd)
for tool in cpack dpkg-deb lintian systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (deploy/install-deps.sh)"; exit 1; }
done
TOLLGATE="$BUILD_DIR/gateway/tollgate"
source "$(dirname "$0")/lib.sh"

(cd "$WORK" && cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$WORK/out") \
  >"$WORK/cpack.log" 2>&1 || { cat "$WORK/cpack.log"; fail "cpack"; }
deb=$(ls "$WORK"/out/tollgate_*.deb)
ok "built ${deb##*/}"

info=$(dpkg-deb --info "$deb")
for field in "Package: tollgate" "Section: net" "Depends: adduser, " "libssl3"; do
  grep -qF "$field" <<<"$info" || fail "control lacks '$field'"
done
[[ $(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles) == /etc/tollgate/tollgate.conf ]] ||
  fail "tollgate.conf is not a conffile"
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/tollgate ./etc/tollgate/tollgate.conf ./lib/systemd/system/tollgate.service \
  ./usr/share/man/man1/tollgate.1.gz ./usr/share/doc/tollgate/copyright; do
  grep -qF " $path" <<<"$contents" || fail "the package lacks $path"
done
ok "control fields, conffile and files"

lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$WORK/lintian.log" 2>&1 ||
  { cat "$WORK/lintian.log"; fail "lintian"; }
ok "lintian: no error or warning"

dpkg-deb -x "$deb" "$WORK/root"
unit="$WORK/root/lib/systemd/system/tollgate.service"
for directive in ProtectSystem=strict NoNewPrivileges=yes ReadWritePaths=/var/lib/tollgate \
  "ExecReload=/bin/kill -HUP \$MAINPID" User=tollgate; do
  grep -qxF "$directive" "$unit" || fail "the unit lacks $directive"
done
# systemd-analyze checks that ExecStart's program exists: the copy points at the extracted one
# (and the man page is not installed here, so it is not looked for).
sed "s|/usr/bin/tollgate|$WORK/root/usr/bin/tollgate|" "$unit" >"$WORK/tollgate.service"
systemd-analyze verify --man=no "$WORK/tollgate.service" >"$WORK/verify.log" 2>&1 ||
  { cat "$WORK/verify.log"; fail "systemd-analyze verify"; }
ok "the unit is hardened and systemd-analyze verifies it"

TOLLGATE="$WORK/root/usr/bin/tollgate"
start_tollgate --config "$WORK/root/etc/tollgate/tollgate.conf"
"${CURL[@]}" -f -o /dev/null "http://127.0.0.1:$ADMIN_PORT/healthz" || fail "/healthz"
ok "the packaged binary serves with the packaged configuration"
stop_server
echo "deb package checks passed"
