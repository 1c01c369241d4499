# Shared helpers for the adrecs scripts. Sourced, never run.
# Every server runs under .local/ of the checkout, on its own port, and is stopped by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

log() { printf '[adrecs] %s\n' "$*" >&2; }
die() { printf '[adrecs] error: %s\n' "$*" >&2; exit 1; }

# Waits until "$@" succeeds, for at most $WAIT_SECONDS (default 30).
wait_for() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-30}))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.3
  done
}

# Is the process in pid file $1 alive?
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the process group or process in pid file $1, waiting up to 15 s, then SIGKILL.
stop_pid() {
  local pidfile=$1 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}
