#!/usr/bin/env bash
# Starts tollgate on its embedded store in ./var/demo with a demo repository, a sample
# artifact and an entitlement token, prints working download commands, then stays in the
# foreground until Ctrl-C (which stops tollgate gracefully).
set -euo pipefail
binary=${1:-build/gateway/tollgate}
data_dir=${TOLLGATE_DEMO_DIR:-var/demo}
listen=${TOLLGATE_DEMO_LISTEN:-127.0.0.1:8080}
admin_listen=${TOLLGATE_DEMO_ADMIN_LISTEN:-127.0.0.1:8081}
mkdir -p "$data_dir"
log="$data_dir/tollgate.log"

"$binary" serve --data-dir "$data_dir" --listen "$listen" --admin-listen "$admin_listen" \
  2> >(tee -a "$log" >&2) &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' INT TERM EXIT

for _ in $(seq 1 100); do  # up to 10 s for the listeners
  grep -q " listening " "$log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "tollgate did not start; see $log" >&2; exit 1; }
  sleep 0.1
done
admin="http://$admin_listen"
key=$(cat "$data_dir/admin-api-key")
api() { curl -sS -H "X-Api-Key: $key" "$@"; }

api -o /dev/null -X POST "$admin/api/v1/repos/default/" \
  -d '{"slug":"demo","repository_type":"private"}'
echo "hello from tollgate" > "$data_dir/hello-1.0.0.txt"
api -o /dev/null -X PUT -T "$data_dir/hello-1.0.0.txt" \
  "$admin/api/v1/packages/default/demo/files/hello/hello-1.0.0.txt?overwrite=true"
# The token goes to a 0600 file rather than the terminal: secrets are never printed.
token_file="$data_dir/demo-token"
(umask 077 && api -X POST "$admin/api/v1/entitlements/default/demo/" -d '{"name":"demo-customer"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' > "$token_file")

cat <<MSG

tollgate is running (pid $pid) on its embedded store in $data_dir.
  admin API key:  $data_dir/admin-api-key
  demo token:     $token_file
  download:       curl http://$listen/\$(cat $token_file)/default/demo/hello/hello-1.0.0.txt
  basic auth:     curl -u token:\$(cat $token_file) http://$listen/basic/default/demo/hello/hello-1.0.0.txt
Press Ctrl-C to stop.
MSG
wait "$pid"
