#!/usr/bin/env bash
# Runs SeaweedFS (`weed mini`) as the local S3 server, with SigV4 signature checks.
# Usage: scripts/s3.sh start|stop|status
# Keys: ADRECS_S3_PORT (18333; its other ports are PORT+1..PORT+4), ADRECS_S3_DIR (.local/s3).
# Credentials are generated once into $ADRECS_S3_DIR/credentials.env (mode 600, never committed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/env.sh"
DIR="${ADRECS_S3_DIR:-$LOCAL/s3}"
PORT="$ADRECS_S3_PORT"
PIDFILE="$DIR/weed.pid"

ready() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" =~ ^(200|403)$ ]]; }
# This checkout's server is up (not another one on the same port, which has other keys).
up() { pid_alive "$PIDFILE" && ready; }

start() {
  command -v weed >/dev/null || die "weed is not installed: run scripts/setup.sh"
  mkdir -p "$DIR/data"
  if [[ ! -f "$DIR/credentials.env" ]]; then
    umask 077
    key="AK$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
    secret="$(head -c 30 /dev/urandom | base64 | tr -d '/+=\n')"
    printf 'export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n' "$key" "$secret" >"$DIR/credentials.env"
  fi
  # shellcheck disable=SC1091
  source "$DIR/credentials.env"
  "$SYSTEM_PYTHON" - "$DIR/s3.json" <<PY
import json, os, sys
cfg = {"identities": [{"name": "adrecs", "credentials": [{"accessKey": os.environ["AWS_ACCESS_KEY_ID"], "secretKey": os.environ["AWS_SECRET_ACCESS_KEY"]}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, json.dumps(cfg).encode()); os.close(fd)
PY
  if up; then return 0; fi
  port_open "$PORT" && die "port $PORT is in use by another process (another checkout's S3 server? stop it, or set ADRECS_S3_PORT)"
  setsid weed mini -dir="$DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false -admin.ui=false -webdav=false \
    -s3.port="$PORT" -master.port=$((PORT + 1)) -volume.port=$((PORT + 2)) -filer.port=$((PORT + 3)) -admin.port=$((PORT + 4)) \
    -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$DIR/s3.json" -bucket="$S3_BUCKET" \
    >"$DIR/weed.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  WAIT_SECONDS=60 wait_for ready || { tail -n 30 "$DIR/weed.log" >&2; die "SeaweedFS did not start on $PORT"; }
  log "S3 (SeaweedFS) ready on 127.0.0.1:$PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$PIDFILE" ;;
  status) up && echo "S3 up on $PORT" || { echo "S3 down"; exit 1; } ;;
  *) die "usage: scripts/s3.sh start|stop|status" ;;
esac
