#!/usr/bin/env bash
# Local Airflow 3.3.2 for the adrecs DAG: scheduler, dag-processor and api-server in one
# session of their own (setsid), stopped together by process group. Metadata database: database
# `airflow` on the project's PostgreSQL (127.0.0.1:$ADRECS_PG_PORT, user adrecs), created if
# missing. Everything binds 127.0.0.1. The venv is .local/airflow-venv (dags/requirements.lock).
# Usage: scripts/airflow.sh install|start|stop|status|env
#   env: eval "$(scripts/airflow.sh env)" gives this shell the same settings and puts the venv's
#   `airflow` first on PATH, so the CLI (dags trigger, backfill create, …) talks to this deployment.
# Keys: ADRECS_AIRFLOW_PORT (api-server, 8280), ADRECS_AIRFLOW_HOME (.local/airflow-local),
#       ADRECS_AIRFLOW_DB (metadata database, airflow), ADRECS_INGEST_PORT (9101) and PORT (8080) as
#       scripts/services.sh, AIRFLOW_CONN_ADRECS_INGEST/_DB/_API (defaults: those local services,
#       DB_URL + DB_SCHEMA), AIRFLOW_CONN_ADRECS_ALERTS (failure alerts; unset: a logged warning).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/env.sh"

PYTHON="$SYSTEM_PYTHON"
VENV="$LOCAL/airflow-venv"
HOME_DIR="${ADRECS_AIRFLOW_HOME:-$LOCAL/airflow-local}"
PIDFILE="$HOME_DIR/airflow.pid"
AF_PORT="${ADRECS_AIRFLOW_PORT:-8280}"
AF_DB="${ADRECS_AIRFLOW_DB:-airflow}"
[[ $AF_DB =~ ^[a-z_][a-z0-9_]*$ ]] || die "ADRECS_AIRFLOW_DB must be a plain database name ([a-z_][a-z0-9_]*), got '$AF_DB'"
PGBIN=/usr/lib/postgresql/15/bin

# Creates or refreshes the venv when dags/requirements.txt, the lock or the Python version changed.
install() {
  venv_install "$VENV" "$PYTHON" "$ROOT/dags/requirements.txt" "$ROOT/dags/requirements.lock" \
    -- -r "$ROOT/dags/requirements.txt" -c "$ROOT/dags/requirements.lock"
}

# The course's settings (dags/README.md), a local PostgreSQL metadata DB, loopback only.
configure() {
  mkdir -p "$HOME_DIR"
  if [[ ! -s "$HOME_DIR/jwt_secret" ]]; then
    (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$HOME_DIR/jwt_secret")
  fi
  export AIRFLOW_HOME="$HOME_DIR"
  export AIRFLOW__CORE__EXECUTOR=LocalExecutor
  export AIRFLOW__CORE__PARALLELISM=2
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://adrecs@127.0.0.1:${ADRECS_PG_PORT}/$AF_DB"
  export AIRFLOW__API__HOST=127.0.0.1
  export AIRFLOW__API__PORT="$AF_PORT"
  export AIRFLOW__API__WORKERS=1
  export AIRFLOW__API__BASE_URL="http://127.0.0.1:$AF_PORT"
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$AF_PORT/execution/"
  AIRFLOW__API_AUTH__JWT_SECRET=$(cat "$HOME_DIR/jwt_secret")
  export AIRFLOW__API_AUTH__JWT_SECRET
  # Local only: the UI lets everyone in as admin (it listens on 127.0.0.1).
  export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
  local db_schema="${DB_SCHEMA:-public}" rest host port user password_field="" dbname
  rest=${DB_URL#*://}; rest=${rest%%\?*}
  user=${rest%%@*}; rest=${rest#*@}
  if [[ $user == *:* ]]; then password_field="\"password\":\"${user#*:}\","; user=${user%%:*}; fi
  dbname=${rest#*/}; rest=${rest%%/*}; host=${rest%%:*}; port=${rest##*:}
  # Defaults when unset; set one to the empty string to leave that connection out (e.g. no API).
  # (Assigned with [[ -v ]]: a JSON default inside ${NAME=…} would end at its first closing brace.)
  [[ -v AIRFLOW_CONN_ADRECS_INGEST ]] ||
    AIRFLOW_CONN_ADRECS_INGEST="{\"conn_type\":\"http\",\"host\":\"127.0.0.1\",\"port\":${ADRECS_INGEST_PORT:-9101},\"schema\":\"http\"}"
  [[ -v AIRFLOW_CONN_ADRECS_DB ]] ||
    AIRFLOW_CONN_ADRECS_DB="{\"conn_type\":\"postgres\",\"host\":\"$host\",\"port\":$port,\"login\":\"$user\",$password_field\"schema\":\"$dbname\",\"extra\":{\"sslmode\":\"disable\",\"db_schema\":\"$db_schema\"}}"
  [[ -v AIRFLOW_CONN_ADRECS_API ]] ||
    AIRFLOW_CONN_ADRECS_API="{\"conn_type\":\"http\",\"host\":\"127.0.0.1\",\"port\":${PORT:-8080},\"schema\":\"http\"}"
  local name
  for name in AIRFLOW_CONN_ADRECS_INGEST AIRFLOW_CONN_ADRECS_DB AIRFLOW_CONN_ADRECS_API AIRFLOW_CONN_ADRECS_ALERTS; do
    if [[ -n "${!name:-}" ]]; then export "${name?}"; else unset "$name"; fi
  done
}

healthy() { curl -fsS "http://127.0.0.1:$AF_PORT/api/v2/monitor/health" >/dev/null 2>&1; }

start() {
  install
  configure
  if pid_alive "$PIDFILE"; then log "Airflow already running (pgid $(cat "$PIDFILE"))"; return 0; fi
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$ADRECS_PG_PORT" || die "PostgreSQL is down on $ADRECS_PG_PORT: scripts/pg.sh start"
  "$PGBIN/psql" -h 127.0.0.1 -p "$ADRECS_PG_PORT" -U adrecs -d postgres -tA -v name="$AF_DB" \
      <<<"SELECT 1 FROM pg_database WHERE datname = :'name'" | grep -q 1 \
    || "$PGBIN/createdb" -h 127.0.0.1 -p "$ADRECS_PG_PORT" -U adrecs "$AF_DB"
  "$VENV/bin/airflow" db migrate >"$HOME_DIR/migrate.log" 2>&1 || { tail -n 30 "$HOME_DIR/migrate.log" >&2; die "airflow db migrate failed"; }
  # One session and process group for the three components; its leader's pid is the group id.
  setsid bash -c '
    "$0/airflow" scheduler --skip-serve-logs >>"$1/scheduler.log" 2>&1 &
    "$0/airflow" dag-processor >>"$1/dag-processor.log" 2>&1 &
    "$0/airflow" api-server >>"$1/api-server.log" 2>&1 &
    wait' "$VENV/bin" "$HOME_DIR" </dev/null >/dev/null 2>&1 &
  echo $! >"$PIDFILE"
  WAIT_SECONDS=120 wait_for healthy || { tail -n 20 "$HOME_DIR/api-server.log" >&2; stop; die "Airflow did not become healthy"; }
  log "Airflow up on http://127.0.0.1:$AF_PORT (pgid $(cat "$PIDFILE"), logs in $HOME_DIR)"
}

stop() {
  pid_alive "$PIDFILE" || { rm -f "$PIDFILE"; return 0; }
  local pgid; pgid=$(cat "$PIDFILE")
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  rm -f "$PIDFILE"
  log "Airflow stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    if pid_alive "$PIDFILE" && healthy; then echo "Airflow up on http://127.0.0.1:$AF_PORT (pgid $(cat "$PIDFILE"))"
    else echo "Airflow down"; exit 1; fi ;;
  # For the airflow CLI against this deployment: eval "$(scripts/airflow.sh env)"
  env)
    install >&2
    configure
    for name in $(compgen -e | grep -E '^AIRFLOW'); do printf 'export %s=%q\n' "$name" "${!name}"; done
    # The venv's airflow first on PATH (not activated: that would also change the shell's python).
    printf 'export PATH=%q${PATH:+:$PATH}\n' "$VENV/bin" ;;
  *) die "usage: scripts/airflow.sh install|start|stop|status|env" ;;
esac
