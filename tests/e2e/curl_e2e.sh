#!/usr/bin/env bash
# End-to-end check with the real curl: start tollgate on loopback port 0 in a temp folder,
# create a repository and a token through the admin API, upload with `curl -T`, and download
# through every credential route (token URL, /basic/ with -u, Bearer, /public/).
# Usage: curl_e2e.sh PATH/TO/tollgate      Exit status: 0 all checks passed, 1 a check failed.
set -euo pipefail

TOLLGATE=${1:?usage: curl_e2e.sh PATH/TO/tollgate}
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

source "$(dirname "$0")/lib.sh"
start_tollgate
[[ $(stat -c %a "$KEY_FILE") == 600 ]] || fail "$KEY_FILE is not mode 0600"
ok "admin key file present, mode 0600"

code=$(api POST /repos/default/ '{"slug":"agents","repository_type":"private"}')
[[ $code == 201 ]] || fail "create repo agents: $code $(cat "$WORK/body")"
ok "created private repo default/agents"

code=$(api POST /entitlements/default/agents/ '{"name":"customer-42"}')
[[ $code == 201 ]] || fail "create token: $code $(cat "$WORK/body")"
TOKEN=$(json_field token)
IDENTIFIER=$(json_field identifier)
[[ -n "$TOKEN" && -n "$IDENTIFIER" ]] || fail "token JSON lacks token/identifier"
ok "created token $IDENTIFIER"

# 2 MiB: a realistic package, and big enough that curl -T sends Expect: 100-continue.
SIZE=$((2 * 1024 * 1024))
head -c "$SIZE" /dev/urandom >"$WORK/agent.deb"
SHA=$(sha256sum "$WORK/agent.deb" | cut -d' ' -f1)
code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -H "X-Api-Key: $KEY" \
  -H "X-Checksum-Sha256: $SHA" -T "$WORK/agent.deb" \
  "$API/packages/default/agents/files/pool/agent_2.0_amd64.deb")
[[ $code == 201 ]] || fail "upload with curl -T: $code $(cat "$WORK/body")"
[[ $(json_field sha256) == "$SHA" ]] || fail "upload answered another sha256"
ok "uploaded $SIZE bytes with curl -T (checksum verified)"

FILE_PATH=default/agents/pool/agent_2.0_amd64.deb

"${CURL[@]}" -f -o "$WORK/via-token" "$DL/$TOKEN/$FILE_PATH" || fail "token URL download"
cmp "$WORK/agent.deb" "$WORK/via-token" || fail "token URL bytes differ"
ok "token URL download is byte-identical"

"${CURL[@]}" -f -u "token:$TOKEN" -o "$WORK/via-basic" "$DL/basic/$FILE_PATH" ||
  fail "/basic/ download with -u"
cmp "$WORK/agent.deb" "$WORK/via-basic" || fail "/basic/ bytes differ"
ok "/basic/ with curl -u token:TOKEN is byte-identical"

"${CURL[@]}" -f -H "Authorization: Bearer $TOKEN" -o "$WORK/via-bearer" "$DL/basic/$FILE_PATH" ||
  fail "/basic/ download with Bearer"
cmp "$WORK/agent.deb" "$WORK/via-bearer" || fail "Bearer bytes differ"
ok "/basic/ with Authorization: Bearer is byte-identical"

code=$(api POST /repos/default/ '{"slug":"open","repository_type":"public"}')
[[ $code == 201 ]] || fail "create public repo: $code $(cat "$WORK/body")"
printf 'public tool\n' >"$WORK/tool.txt"
code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -H "X-Api-Key: $KEY" -T "$WORK/tool.txt" \
  "$API/packages/default/open/files/tools/tool.txt")
[[ $code == 201 ]] || fail "upload to public repo: $code $(cat "$WORK/body")"
"${CURL[@]}" -f -o "$WORK/via-public" "$DL/public/default/open/tools/tool.txt" ||
  fail "/public/ download"
cmp "$WORK/tool.txt" "$WORK/via-public" || fail "/public/ bytes differ"
ok "/public/ download from a public repo is byte-identical"

code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$DL/public/$FILE_PATH")
[[ $code == 401 ]] || fail "/public/ on a private repo answered $code, not 401"
ok "/public/ on a private repo is 401"

code=$("${CURL[@]}" -o "$WORK/range" -w '%{http_code}' -r 0-9 "$DL/$TOKEN/$FILE_PATH")
[[ $code == 206 ]] || fail "curl -r 0-9 answered $code, not 206"
[[ $(stat -c %s "$WORK/range") == 10 ]] || fail "curl -r 0-9 gave $(stat -c %s "$WORK/range") bytes"
cmp "$WORK/range" <(head -c 10 "$WORK/agent.deb") || fail "range bytes differ"
ok "curl -r 0-9 gives 206 and the first 10 bytes"

head -c $((SIZE / 2)) "$WORK/agent.deb" >"$WORK/resumed"
"${CURL[@]}" -f -C - -o "$WORK/resumed" "$DL/$TOKEN/$FILE_PATH" || fail "curl -C - resume"
cmp "$WORK/agent.deb" "$WORK/resumed" || fail "resumed download differs"
ok "curl -C - resumes a partial download to identical bytes"

"${CURL[@]}" -f -I -o "$WORK/head" "$DL/$TOKEN/$FILE_PATH" || fail "curl -I"
grep -qi "^content-length: $SIZE" "$WORK/head" || fail "HEAD lacks Content-Length"
ok "curl -I shows the Content-Length"

code=$("${CURL[@]}" -o "$WORK/denied" -D "$WORK/denied-headers" -w '%{http_code}' \
  "$DL/wrong-token-0123456789/$FILE_PATH")
[[ $code == 401 ]] || fail "wrong token answered $code, not 401"
grep -qi '^www-authenticate: Basic' "$WORK/denied-headers" || fail "401 without WWW-Authenticate"
grep -qi '^x-tollgate-reason: invalid_credentials' "$WORK/denied-headers" ||
  fail "401 without X-Tollgate-Reason: invalid_credentials"
ok "a wrong token gets 401 invalid_credentials with a challenge"

code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -u "token:wrong-token-0123456789" \
  "$DL/basic/$FILE_PATH")
[[ $code == 401 ]] || fail "/basic/ with a wrong password answered $code"
ok "/basic/ with a wrong password is 401"

if grep -qF "$TOKEN" "$WORK/tollgate.log"; then fail "the token string appears in the log"; fi
grep -q "token=$IDENTIFIER" "$WORK/tollgate.log" || fail "no access-log line with the identifier"
ok "the log names the token by identifier, never by value"

echo "== stopping tollgate (SIGTERM)"
kill -TERM "$PID"
for _ in $(seq 1 150); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$PID" 2>/dev/null && fail "tollgate still running 15 s after SIGTERM"
status=0
wait "$PID" || status=$?
PID=""
[[ $status == 0 ]] || fail "tollgate exited with $status after SIGTERM"
ok "SIGTERM: exit 0"

echo "all e2e curl checks passed"
