#!/usr/bin/env bash
# Runs the project's own PostgreSQL 15 cluster (never the system one).
# Usage: scripts/pg.sh start|stop|restart|status
# Keys: ADRECS_PG_PORT (55432), ADRECS_PG_DIR (.local/pg). Trust auth on loopback and the socket only.
# ADRECS_PG_TLS_DIR (unset): a folder with server.crt and server.key; when set, the server also
# accepts TLS with that certificate (the tests' throwaway CA for sslmode=verify-full).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/env.sh"
PGBIN=/usr/lib/postgresql/15/bin
DIR="${ADRECS_PG_DIR:-$LOCAL/pg}"
PORT="$ADRECS_PG_PORT"

as_pg() { runuser -u postgres -- "$@"; }
ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }
# This checkout's cluster is up (not another server on the same port).
up() { [[ -f "$DIR/data/PG_VERSION" ]] && as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1 && ready; }

start() {
  [[ -x "$PGBIN/initdb" ]] || die "PostgreSQL 15 is not installed: run scripts/setup.sh"
  if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    mkdir -p "$DIR/sock"
    chown -R postgres:postgres "$DIR"
    # Every parent folder must be traversable by the postgres user.
    p="$DIR"; while [[ "$p" != "/" ]]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
    as_pg "$PGBIN/initdb" -D "$DIR/data" -U adrecs --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log"
  fi
  if up; then return 0; fi
  port_open "$PORT" && die "port $PORT is in use by another process (another checkout's PostgreSQL? stop it, or set ADRECS_PG_PORT)"
  local tls=()
  if [[ -n "${ADRECS_PG_TLS_DIR:-}" ]]; then
    # PostgreSQL refuses a key that others can read: private copies owned by postgres, mode 0600.
    install -d -o postgres -g postgres -m 0700 "$DIR/tls"
    install -o postgres -g postgres -m 0600 "$ADRECS_PG_TLS_DIR/server.crt" "$ADRECS_PG_TLS_DIR/server.key" "$DIR/tls/"
    tls=(-c ssl=on -c "ssl_cert_file=$DIR/tls/server.crt" -c "ssl_key_file=$DIR/tls/server.key")
  fi
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 \
    -o "-p $PORT -k $DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${tls[*]}" start >/dev/null \
    || { tail -n 20 "$DIR/log" >&2; die "PostgreSQL did not start"; }
  "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U adrecs -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='adrecs'" | grep -q 1 \
    || "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U adrecs adrecs
  log "PostgreSQL ready on 127.0.0.1:$PORT"
}

stop() {
  [[ -f "$DIR/data/postmaster.pid" ]] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) up && echo "PostgreSQL up on $PORT" || { echo "PostgreSQL down"; exit 1; } ;;
  *) die "usage: scripts/pg.sh start|stop|restart|status" ;;
esac
