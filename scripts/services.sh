#!/usr/bin/env bash
# Starts or stops the adrecs services built in $ADRECS_BIN (default: the release build folder),
# each in the background with its log and PID under .local/services/.
# Usage: scripts/services.sh start|stop|status [service…]   (default: ingest models writer api)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/env.sh"
DIR="$LOCAL/services"
mkdir -p "$DIR"
BIN="${ADRECS_BIN:-$(cd "$ROOT" && swift build -c release --show-bin-path)}"
declare -A PORT=([ingest]=9101 [models]=9102 [writer]=9103 [api]=${PORT:-8080})

# The api is up once its snapshot is loaded (/ready); the stages once they answer /health.
health_url() {
  local name=$1
  if [[ $name == api ]]; then echo "http://127.0.0.1:${PORT[api]}/ready"; else echo "http://127.0.0.1:${PORT[$name]}/health"; fi
}

start_one() {
  local name=$1 pidfile="$DIR/$1.pid"
  [[ -x "$BIN/adrecs-$name" ]] || die "$BIN/adrecs-$name is not built"
  if pid_alive "$pidfile"; then return 0; fi
  setsid "$BIN/adrecs-$name" serve >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  WAIT_SECONDS=30 wait_for curl -fsS "$(health_url "$name")" \
    || { tail -n 20 "$DIR/$name.log" >&2; die "$name did not become healthy"; }
  log "$name up (pid $(cat "$pidfile"), log $DIR/$name.log)"
}

cmd=${1:-}; shift || true
services=("$@"); ((${#services[@]})) || services=(ingest models writer api)
case "$cmd" in
  start) for s in "${services[@]}"; do start_one "$s"; done ;;
  stop) for s in "${services[@]}"; do stop_pid "$DIR/$s.pid"; done ;;
  status) for s in "${services[@]}"; do pid_alive "$DIR/$s.pid" && echo "$s up" || echo "$s down"; done ;;
  *) die "usage: scripts/services.sh start|stop|status [ingest|models|writer|api…]" ;;
esac
