#!/usr/bin/env bash
# End-to-end check of the Debian view with the real apt: .debs built here with dpkg-deb and
# uploaded through the admin API; an apt confined to a folder of its own (no root state read
# or written) trusts only the key key.asc answers, verifies the signed InRelease on both
# credential forms apt has (auth.conf.d with /basic/, and the token in the path), resolves
# 2.0 for a token scoped to version:<3.0 and never sees 3.0, which stays 403 when asked for
# directly; a version with an epoch ("%3a" in its pool file name) downloads through its
# Filename. A wrong key fails the update; a key replaced with PUT …/signing-key/ signs within
# seconds. Downloads through the pool count exactly; the indexes and key.asc never do.
# Usage: apt_e2e.sh PATH/TO/tollgate      Exit status: 0 passed, 1 failed, 77 skipped.
set -euo pipefail

TOLLGATE=${1:?usage: apt_e2e.sh PATH/TO/tollgate}
for program in apt-get apt-cache dpkg-deb gpgv; do
  command -v "$program" >/dev/null || { echo "SKIP: $program is not installed"; exit 77; }
done

KEYS=$(cd "$(dirname "$0")/../testdata/openpgp" && pwd)  # keys GnuPG made, for the wrong key
source "$(dirname "$0")/lib.sh"
start_tollgate --dedupe-window 0  # every download counts, so the test can count them

# make_deb NAME VERSION OUT: package NAME VERSION for every architecture, as dpkg-deb builds it.
make_deb() {
  local root="$WORK/build/$1-$2"
  mkdir -p "$root/DEBIAN" "$root/usr/share/$1"
  echo "$2" >"$root/usr/share/$1/VERSION"
  cat >"$root/DEBIAN/control" <<EOF
Package: $1
Version: $2
Architecture: all
Maintainer: Acme Ops <ops@acme.example>
Section: admin
Priority: optional
Description: the Acme monitoring agent
 Reports to the Acme console.
 .
 Built by tollgate's apt end-to-end test.
EOF
  dpkg-deb --build --root-owner-group "$root" "$3" >/dev/null
}

POOL=pool/main/a/acme-agent
create_repo agents
for version in 1.0 2.0 3.0; do
  make_deb acme-agent "$version" "$WORK/acme-agent_${version}_all.deb"
  upload agents "$POOL/acme-agent_${version}_all.deb" "$WORK/acme-agent_${version}_all.deb"
done
# A version with an epoch: its file name carries the ':' as "%3a" (sent here encoded once more).
make_deb acme-tools 1:4.0 "$WORK/acme-tools_1%3a4.0_all.deb"
upload agents "pool/main/a/acme-tools/acme-tools_1%253a4.0_all.deb" "$WORK/acme-tools_1%3a4.0_all.deb"
create_token agents '{"name":"customer-42","limit_package_query":"version:<3.0 OR name:acme-tools"}'
ok "uploaded acme-agent 1.0, 2.0, 3.0 and acme-tools 1:4.0; token scoped to version:<3.0 OR name:acme-tools"

VIEW_PATH=/basic/default/agents/-/deb/
BASIC_VIEW="$DL$VIEW_PATH"
TOKEN_VIEW="$DL/$TOKEN/default/agents/-/deb/"

"${CURL[@]}" -f -u "token:$TOKEN" -o "$WORK/key.asc" "${BASIC_VIEW}key.asc"
grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$WORK/key.asc" || fail "key.asc is no public key"
ok "key.asc is the repository's armored public key"

packages=$("${CURL[@]}" -f "${TOKEN_VIEW}Packages")
grep -q "^Filename: pool/$POOL/acme-agent_2.0_all.deb$" <<<"$packages" || fail "no 2.0 stanza"
grep -q '^Version: 3.0$' <<<"$packages" && fail "3.0 is listed for a token scoped to <3.0"
ok "Packages lists 1.0 and 2.0 under pool/, not 3.0"

# apt_setup NAME SOURCES_LINE [AUTH_LINE]: an apt whose every folder is under $WORK/NAME.
# APT_CONFIG is read before anything else, and it points Dir::Etc (sources.list, its .d, the
# apt.conf.d parts, trusted keys, auth.conf.d) away from /etc, so no system file is read.
apt_setup() {
  local root="$WORK/$1"
  mkdir -p "$root/etc/apt.conf.d" "$root/etc/preferences.d" "$root/etc/sources.list.d" \
    "$root/etc/trusted.gpg.d" "$root/etc/auth.conf.d" "$root/state/lists/partial" \
    "$root/cache/archives/partial" "$root/log" "$root/downloads"
  : >"$root/status"
  echo "$2" >"$root/etc/sources.list"
  if [[ -n "${3:-}" ]]; then
    (umask 077 && echo "$3" >"$root/etc/auth.conf.d/tollgate.conf")
  fi
  cat >"$root/apt.conf" <<EOF
Dir::Etc "$root/etc";
Dir::State "$root/state";
Dir::State::status "$root/status";
Dir::Cache "$root/cache";
Dir::Log "$root/log";
Debug::NoLocking "true";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "0";
Acquire::http::Timeout "20";
EOF
}

# apt_in NAME COMMAND ARGS…: runs apt-get or apt-cache with NAME's configuration.
apt_in() {
  local root="$WORK/$1"
  shift
  (cd "$root/downloads" && APT_CONFIG="$root/apt.conf" "$@")
}

usage_before=$(downloads_of agents)
[[ $usage_before == 0 ]] || fail "fetching key.asc and Packages counted: $usage_before"

# --- /basic/ with auth.conf.d: apt matches http:// entries only when they name the protocol.
apt_setup basic "deb [signed-by=$WORK/key.asc] $BASIC_VIEW ./" \
  "machine http://127.0.0.1:$DOWNLOAD_PORT$VIEW_PATH login token password $TOKEN"
apt_in basic apt-get update >"$WORK/update-basic.log" 2>&1 ||
  { cat "$WORK/update-basic.log"; fail "apt-get update (/basic/ with auth.conf.d)"; }
grep -q '^[WE]:' "$WORK/update-basic.log" && { cat "$WORK/update-basic.log"; fail "update warned"; }
grep -q 'InRelease' "$WORK/update-basic.log" || fail "apt did not fetch InRelease"
ok "apt-get update verified InRelease against key.asc (/basic/, auth.conf.d)"

policy=$(apt_in basic apt-cache policy acme-agent)
grep -q 'Candidate: 2.0' <<<"$policy" || fail "candidate is not 2.0: $policy"
grep -q ' 3\.0 ' <<<"$policy" && fail "apt-cache policy shows 3.0: $policy"
versions=$(apt_in basic apt-cache show acme-agent | sed -n 's/^Version: //p' | sort | tr '\n' ' ')
[[ $versions == "1.0 2.0 " ]] || fail "apt-cache show lists versions: $versions"
ok "apt-cache policy: candidate 2.0; apt-cache show: 1.0 and 2.0, no 3.0"

apt_in basic apt-get download acme-agent >"$WORK/download-basic.log" 2>&1 ||
  { cat "$WORK/download-basic.log"; fail "apt-get download (/basic/)"; }
cmp -s "$WORK/basic/downloads/acme-agent_2.0_all.deb" "$WORK/acme-agent_2.0_all.deb" ||
  fail "apt-get download did not get 2.0: $(ls "$WORK/basic/downloads")"
ok "apt-get download acme-agent got 2.0 (the bytes uploaded)"

[[ $(downloads_of agents) == 1 ]] || fail "one .deb download should count 1: $(downloads_of agents)"
ok "the .deb counted once; Release, InRelease, Packages and key.asc never"

# --- the token in the path: no auth.conf at all.
apt_setup path "deb [signed-by=$WORK/key.asc] $TOKEN_VIEW ./"
apt_in path apt-get update >"$WORK/update-path.log" 2>&1 ||
  { cat "$WORK/update-path.log"; fail "apt-get update (token in path)"; }
grep -q '^[WE]:' "$WORK/update-path.log" && { cat "$WORK/update-path.log"; fail "update warned"; }
apt_in path apt-get download acme-agent >"$WORK/download-path.log" 2>&1 ||
  { cat "$WORK/download-path.log"; fail "apt-get download (token in path)"; }
[[ -f "$WORK/path/downloads/acme-agent_2.0_all.deb" ]] || fail "token-in-path download is not 2.0"
[[ $(downloads_of agents) == 2 ]] || fail "two .deb downloads should count 2: $(downloads_of agents)"
ok "token in the path: apt-get update verified, download got 2.0, counted (2 in all)"

# apt encodes a Filename itself: the "%3a" of an epoch reaches the file it names.
apt_in path apt-get download acme-tools >"$WORK/download-epoch.log" 2>&1 ||
  { cat "$WORK/download-epoch.log"; fail "apt-get download of a version with an epoch"; }
cmp -s "$WORK/path/downloads/acme-tools_1%3a4.0_all.deb" "$WORK/acme-tools_1%3a4.0_all.deb" ||
  fail "acme-tools 1:4.0 was not downloaded: $(ls "$WORK/path/downloads")"
[[ $(downloads_of agents) == 3 ]] || fail "three .deb downloads should count 3: $(downloads_of agents)"
ok "acme-tools 1:4.0 (pool file name with %3a) downloaded through its Filename, counted (3 in all)"

result=$(status_and_reason "${TOKEN_VIEW}pool/$POOL/acme-agent_3.0_all.deb")
[[ $result == "403 package_not_allowed" ]] || fail "3.0 through the pool: $result"
result=$(status_and_reason "$DL/$TOKEN/default/agents/$POOL/acme-agent_3.0_all.deb")
[[ $result == "403 package_not_allowed" ]] || fail "3.0 directly: $result"
ok "3.0 asked for directly (pool/ and the repository path) is 403 package_not_allowed"

# --- a key apt was not told to trust: the update fails on the signature.
apt_setup wrongkey "deb [signed-by=$KEYS/rsa_public.asc] $TOKEN_VIEW ./"
if apt_in wrongkey apt-get update >"$WORK/update-wrong.log" 2>&1 &&
  ! grep -q '^[WE]:' "$WORK/update-wrong.log"; then
  cat "$WORK/update-wrong.log"
  fail "apt-get update accepted a repository signed by a key it was not given"
fi
grep -q 'NO_PUBKEY\|not signed' "$WORK/update-wrong.log" ||
  { cat "$WORK/update-wrong.log"; fail "no signature error with a wrong key"; }
ok "with another key as signed-by, apt-get update refuses the repository"

# --- key rotation: an admin uploads a key; the view signs with it within seconds. A machine
# given both keys beforehand (as docs/debian.md advises) verifies before and after.
apt_setup both "deb [signed-by=$WORK/key.asc,$KEYS/rsa_public.asc] $TOKEN_VIEW ./"
apt_in both apt-get update >"$WORK/update-both.log" 2>&1 ||
  { cat "$WORK/update-both.log"; fail "apt-get update with both keys, before the rotation"; }
secret=$(python3 -c 'import json,sys; print(json.dumps({"secret_key": open(sys.argv[1]).read()}))' \
  "$KEYS/rsa_secret.asc")
code=$(api PUT /repos/default/agents/signing-key/ "$secret")
[[ $code == 200 ]] || fail "PUT signing-key: $code $(cat "$WORK/body")"
started=$(date +%s%N)
for _ in $(seq 1 150); do
  "${CURL[@]}" -f -o "$WORK/rotated.asc" "${TOKEN_VIEW}key.asc"
  cmp -s "$WORK/rotated.asc" "$WORK/key.asc" || break
  sleep 0.1
done
cmp -s "$WORK/rotated.asc" "$WORK/key.asc" && fail "key.asc did not change within 15 s"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
if apt_in path apt-get update >"$WORK/update-stale.log" 2>&1 &&
  ! grep -q '^[WE]:' "$WORK/update-stale.log"; then
  fail "apt still trusted the repository after its key was replaced"
fi
apt_setup rotated "deb [signed-by=$WORK/rotated.asc] $TOKEN_VIEW ./"
apt_in rotated apt-get update >"$WORK/update-rotated.log" 2>&1 ||
  { cat "$WORK/update-rotated.log"; fail "apt-get update with the new key"; }
grep -q '^[WE]:' "$WORK/update-rotated.log" && { cat "$WORK/update-rotated.log"; fail "warned"; }
apt_in both apt-get update >"$WORK/update-both.log" 2>&1 ||
  { cat "$WORK/update-both.log"; fail "apt-get update with both keys, after the rotation"; }
grep -q '^[WE]:' "$WORK/update-both.log" && { cat "$WORK/update-both.log"; fail "warned"; }
ok "a replaced key showed in key.asc after ${elapsed_ms} ms; apt verifies with it, not the old one"
ok "a machine given both keys before the rotation verified before and after it"

[[ $(downloads_of agents) == 3 ]] || fail "updates counted downloads: $(downloads_of agents)"
ok "no update or key fetch counted a download (3 in all)"

stop_server
echo "all e2e apt checks passed"
