# Shared harness of the end-to-end scripts: a temp folder, the real tollgate started on
# loopback port 0 and stopped by its pid, the admin API through curl, and the usage counters.
# Source it after setting TOLLGATE; it sets WORK, DL (download base URL), API (admin API base
# URL) and KEY (the bootstrapped admin's API key) once start_tollgate has run.
set -euo pipefail

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-e2e-XXXXXX")
PID=""

stop_server() {
  # Only the server started here, by its pid; SIGKILL only if SIGTERM did not end it in 15 s.
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  fi
}

cleanup() {
  local status=$?
  stop_server
  if [[ $status -ne 0 && -f "$WORK/tollgate.log" ]]; then
    echo "--- tollgate log ---"
    cat "$WORK/tollgate.log"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

# Every curl call is bounded; -sS keeps errors visible without a progress meter.
CURL=(curl -sS --max-time 20 --connect-timeout 5)

# start_tollgate [EXTRA SERVE OPTIONS…]: starts the server and waits for its listening line.
start_tollgate() {
  echo "== starting $TOLLGATE in $WORK"
  "$TOLLGATE" serve --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
    --data-dir "$WORK/data" --artifacts "$WORK/artifacts" --threads 2 "$@" \
    >"$WORK/tollgate.out" 2>"$WORK/tollgate.log" &
  PID=$!
  local line=""
  for _ in $(seq 1 100); do
    line=$(grep -m1 ' listening ' "$WORK/tollgate.log" || true)
    [[ -n "$line" ]] && break
    kill -0 "$PID" 2>/dev/null || fail "tollgate exited before listening"
    sleep 0.1
  done
  [[ -n "$line" ]] || fail "no listening line within 10 s"
  DOWNLOAD_PORT=$(sed -E 's/.* download=[^ ]*:([0-9]+)( .*)?$/\1/' <<<"$line")
  ADMIN_PORT=$(sed -E 's/.* admin=[^ ]*:([0-9]+)( .*)?$/\1/' <<<"$line")
  [[ "$DOWNLOAD_PORT" =~ ^[0-9]+$ && "$ADMIN_PORT" =~ ^[0-9]+$ ]] ||
    fail "cannot parse ports: $line"
  DL="http://127.0.0.1:$DOWNLOAD_PORT"
  API="http://127.0.0.1:$ADMIN_PORT/api/v1"
  ok "listening: download port $DOWNLOAD_PORT, admin port $ADMIN_PORT"
  KEY_FILE="$WORK/data/admin-api-key"
  [[ -s "$KEY_FILE" ]] || fail "no $KEY_FILE"
  KEY=$(head -n1 "$KEY_FILE")
}

# api METHOD PATH [JSON] -> body in $WORK/body, prints the status code
api() {
  local method=$1 path=$2 data=${3:-}
  local args=("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -X "$method" -H "X-Api-Key: $KEY")
  if [[ -n "$data" ]]; then args+=(-H 'Content-Type: application/json' --data "$data"); fi
  "${args[@]}" "$API$path"
}

# json_field NAME: a top-level field of the last API answer.
json_field() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/body" "$1"
}

# create_repo SLUG: a private repository in org default.
create_repo() {
  local code
  code=$(api POST /repos/default/ "{\"slug\":\"$1\",\"repository_type\":\"private\"}")
  [[ $code == 201 ]] || fail "create repo $1: $code $(cat "$WORK/body")"
}

# create_token REPO JSON: sets TOKEN and IDENTIFIER of a new entitlement token.
create_token() {
  local code
  code=$(api POST "/entitlements/default/$1/" "$2")
  [[ $code == 201 ]] || fail "create token: $code $(cat "$WORK/body")"
  TOKEN=$(json_field token)
  IDENTIFIER=$(json_field identifier)
  [[ -n "$TOKEN" && -n "$IDENTIFIER" ]] || fail "token JSON lacks token/identifier"
}

# upload REPO PATH FILE: uploads FILE to REPO at PATH through the admin API.
upload() {
  local code
  code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -H "X-Api-Key: $KEY" -T "$3" \
    "$API/packages/default/$1/files/$2")
  [[ $code == 201 ]] || fail "upload $2: $code $(cat "$WORK/body")"
}

# downloads_of REPO: the token IDENTIFIER's download count from the usage endpoint.
downloads_of() {
  local code
  code=$(api GET "/entitlements/default/$1/$IDENTIFIER/usage/")
  [[ $code == 200 ]] || fail "usage: $code $(cat "$WORK/body")"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["downloads"])' "$WORK/body"
}

# status_and_reason URL [CURL ARGS…]: "CODE REASON" of a GET.
status_and_reason() {
  local url=$1
  shift
  "${CURL[@]}" -o /dev/null -w '%{http_code} %header{x-tollgate-reason}' "$@" "$url"
}
