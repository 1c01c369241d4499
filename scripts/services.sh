#!/usr/bin/env bash
# Starts or stops the adrecs services built in $ADRECS_BIN (default: the release build folder),
# each in the background with its log and PID under $ADRECS_SERVICES_DIR (default .local/services/).
# Usage: scripts/services.sh start|stop|status [service…]   (default: ingest models writer api)
# Keys: ADRECS_BIN, ADRECS_SERVICES_DIR, the ops ports ADRECS_INGEST_PORT (9101), ADRECS_MODELS_PORT
# (9102) and ADRECS_WRITER_PORT (9103), and the api's PORT (8080). Everything else (DB_SCHEMA,
# S3_BUCKET, MESSAGING_*_ENDPOINT, …) reaches the services through the environment.
# Sourced (as scripts/smoke.sh does), it only defines the functions below: the services it starts
# are then the caller's children, so the caller can `wait` for their exit status.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/env.sh"
SERVICES_DIR="${ADRECS_SERVICES_DIR:-$LOCAL/services}"
mkdir -p "$SERVICES_DIR"
SERVICES_BIN="${ADRECS_BIN:-$(cd "$ROOT" && swift build -c release --show-bin-path)}"
declare -gA SERVICE_PORT=([ingest]=${ADRECS_INGEST_PORT:-9101} [models]=${ADRECS_MODELS_PORT:-9102}
                         [writer]=${ADRECS_WRITER_PORT:-9103} [api]=${PORT:-8080})

# The environment key that moves service $1's port.
port_key() { if [[ $1 == api ]]; then echo PORT; else echo "ADRECS_${1^^}_PORT"; fi; }

# The URL of $2 (a path) on service $1's HTTP port (a stage's ops port, the api's public port).
service_url() { echo "http://127.0.0.1:${SERVICE_PORT[$1]}$2"; }

# The api is up once its snapshot is loaded (/ready); the stages once they answer /health.
ready_path() { if [[ $1 == api ]]; then echo /ready; else echo /health; fi; }

# Waits until service $1 answers 200 on path $2, for at most $WAIT_SECONDS (30); fails at once,
# with its log's tail, if its process has exited.
await_service() {
  local name=$1 path=$2 pid deadline=$((SECONDS + ${WAIT_SECONDS:-30}))
  pid=$(cat "$SERVICES_DIR/$name.pid")
  until curl -fsS -o /dev/null --max-time 5 "$(service_url "$name" "$path")" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$SERVICES_DIR/$name.log" >&2
      die "$name (pid $pid) exited before answering $path (log: $SERVICES_DIR/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$SERVICES_DIR/$name.log" >&2
      die "$name did not answer $path within ${WAIT_SECONDS:-30} s (log: $SERVICES_DIR/$name.log)"
    fi
    sleep 0.3
  done
}

# Starts service $1 (`serve`, in its own session) and waits until it answers path $2 (default: ready_path).
start_service() {
  local name=$1 path=${2:-$(ready_path "$1")} pidfile="$SERVICES_DIR/$1.pid"
  [[ -x "$SERVICES_BIN/adrecs-$name" ]] || die "$SERVICES_BIN/adrecs-$name is not built"
  if pid_alive "$pidfile"; then return 0; fi
  # Another process on the port (another checkout's services, a leftover run) would answer the
  # readiness check in place of the one started here: refuse instead of mistaking it for ours.
  if port_open "${SERVICE_PORT[$name]}"; then
    die "port ${SERVICE_PORT[$name]} of $name is already in use by another process (stop it, or set $(port_key "$name"))"
  fi
  if [[ $name == api ]]; then
    # /docs serves Swagger UI from .local/swagger-ui (scripts/fetch-swagger-ui.sh) unless API_DOCS_DIR says otherwise.
    API_DOCS_DIR=${API_DOCS_DIR-$LOCAL/swagger-ui} PORT=${SERVICE_PORT[api]} \
      setsid "$SERVICES_BIN/adrecs-$name" serve >>"$SERVICES_DIR/$name.log" 2>&1 </dev/null &
  else
    OPS_PORT=${SERVICE_PORT[$name]} setsid "$SERVICES_BIN/adrecs-$name" serve >>"$SERVICES_DIR/$name.log" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
  await_service "$name" "$path"
  log "$name up (pid $(cat "$pidfile"), port ${SERVICE_PORT[$name]}, log $SERVICES_DIR/$name.log)"
}

# Commits dates $2… of the course folder $1 through the running ingest, models and writer: uploads its
# raw files (adrecs-ingest upload-raw), then kicks each date and waits for its run; logs in $SERVICES_DIR.
commit_days() {
  local data=$1 d
  shift
  "$SERVICES_BIN/adrecs-ingest" upload-raw --input "$data" >"$SERVICES_DIR/upload.log" 2>&1 \
    || { cat "$SERVICES_DIR/upload.log" >&2; die "upload-raw failed"; }
  for d in "$@"; do
    "$SERVICES_BIN/adrecs-ingest" kick --date "$d" --wait --timeout 120 >"$SERVICES_DIR/kick-$d.log" 2>&1 \
      || { cat "$SERVICES_DIR/kick-$d.log" >&2; die "the run of $d failed (logs: $SERVICES_DIR/*.log)"; }
  done
}

# Commits dates $2… of course folder $1 into a fresh DB_SCHEMA through ingest, models and the
# writer, stops them, then starts the api on the committed days.
serve_committed_days() {
  local data=$1 name
  shift
  /usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 "$DB_URL" \
    -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $DB_SCHEMA CASCADE" || die "PostgreSQL at DB_URL is not reachable"
  for name in writer models ingest; do WAIT_SECONDS=60 start_service "$name"; done
  commit_days "$data" "$@"
  for name in ingest models writer; do stop_pid "$SERVICES_DIR/$name.pid"; done
  WAIT_SECONDS=60 start_service api
}

# Stops the four services; then drops DB_SCHEMA and S3_BUCKET, unless $1 is non-empty (kept for a look).
stop_private_services() {
  local name
  for name in ingest models writer api; do stop_pid "$SERVICES_DIR/$name.pid"; done
  [[ -z ${1:-} ]] || return 0
  /usr/lib/postgresql/15/bin/psql -X -q "$DB_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $DB_SCHEMA CASCADE" 2>/dev/null || true
  drop_bucket "$S3_BUCKET" 2>/dev/null || log "could not delete bucket $S3_BUCKET"
}

[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

cmd=${1:-}; shift || true
services=("$@"); ((${#services[@]})) || services=(ingest models writer api)
case "$cmd" in
  start) for s in "${services[@]}"; do start_service "$s"; done ;;
  stop) for s in "${services[@]}"; do stop_pid "$SERVICES_DIR/$s.pid"; done ;;
  status) for s in "${services[@]}"; do pid_alive "$SERVICES_DIR/$s.pid" && echo "$s up" || echo "$s down"; done ;;
  *) die "usage: scripts/services.sh start|stop|status [ingest|models|writer|api…]" ;;
esac
