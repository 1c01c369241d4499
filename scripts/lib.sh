# Shared helpers for the adrecs scripts. Sourced, never run.
# Every server runs under .local/ of the checkout, on its own port, and is stopped by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

# Tools the scripts install (SeaweedFS's `weed`, …) are linked into .local/bin, first on PATH.
mkdir -p "$LOCAL/bin"
case ":$PATH:" in *":$LOCAL/bin:"*) ;; *) export PATH="$LOCAL/bin:$PATH" ;; esac

# Debian's own Python (apt: python3, python3-venv). Every virtualenv the scripts make comes from it,
# never from whatever `python3` is first on PATH (a pyenv shim, a Homebrew or conda Python), and
# nothing is ever installed into it. ADRECS_PYTHON overrides it (another interpreter's path).
SYSTEM_PYTHON="${ADRECS_PYTHON:-/usr/bin/python3}"

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

# Creates or refreshes the virtualenv $1 from Python $2 (normally "$SYSTEM_PYTHON") when the files
# before `--`, the Python or its version changed since its last install (stamp $1/.adrecs-lock),
# installing with `pip install` and the arguments after `--`, then `pip check`. A venv made from
# another Python (its pyvenv.cfg `home` is not $2's folder) is made again from scratch.
# pip's output goes to $1.log.
# Usage: venv_install VENV PYTHON FILE… -- PIP_INSTALL_ARGUMENTS…
venv_install() {
  local venv=$1 python=$2 files=() want start home found
  shift 2
  while [[ $1 != -- ]]; do files+=("$1"); shift; done
  shift
  if [[ ! -x "$python" ]]; then
    found=$(command -v "$python") || die "Python $python not found (scripts/setup.sh installs Debian's python3 and python3-venv)"
    python=$found
  fi
  want=$(cat "${files[@]}" | sha256sum | cut -c1-16)-$("$python" -c 'import sys; print("%d.%d-%s" % (sys.version_info[0], sys.version_info[1], sys.executable))')
  [[ -x "$venv/bin/python" && "$(cat "$venv/.adrecs-lock" 2>/dev/null)" == "$want" ]] && return 0
  log "installing into $venv from $python (${files[*]#"$ROOT/"})"
  start=$SECONDS
  rm -f "$venv/.adrecs-lock"
  home=$(sed -n 's/^home *= *//p' "$venv/pyvenv.cfg" 2>/dev/null || true)
  if [[ -n "$home" && "$home" != "$(dirname "$python")" ]]; then
    log "$venv was made from $home/python: making it again from $python"
    rm -rf "$venv"
  fi
  if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv" >"$venv.log" 2>&1 ||
      { cat "$venv.log" >&2; die "$python -m venv failed (on Debian: apt-get install python3-venv; scripts/setup.sh does)"; }
  fi
  {
    "$venv/bin/python" -m pip install -q --upgrade pip &&
    "$venv/bin/python" -m pip install -q "$@" &&
    "$venv/bin/python" -m pip check
  } >"$venv.log" 2>&1 || { tail -n 30 "$venv.log" >&2; die "pip install failed (log: $venv.log)"; }
  echo "$want" >"$venv/.adrecs-lock"
  log "installed in $((SECONDS - start)) s"
}

# Prints the demo course's folder, $ADRECS_COURSE_DATA (default ../shared/data) / $ADRECS_COURSE
# (default course-2025); fails naming both keys when it is missing.
course_dir() {
  local data="${ADRECS_COURSE_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}" course="${ADRECS_COURSE:-course-2025}"
  [[ -d "$data/$course" ]] || die "course data not found at $data/$course (set ADRECS_COURSE_DATA, ADRECS_COURSE)"
  echo "$data/$course"
}

# Prints the dates of course folder $1 (its product_views), sorted, one per line.
course_dates() { tail -n +2 "$1/product_views" | tr -d '\r' | cut -d, -f3 | sort -u; }

# Prints a TCP port of 127.0.0.1 that is free now.
free_port() { "$SYSTEM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Sets up a test phase's own four services: logs and pid files in $1, schema $2, bucket $3, every
# port (HTTP and ZeroMQ) free, LOG_LEVEL=warning; then sources scripts/services.sh for its functions
# (start_service, serve_committed_days, stop_private_services, …).
use_private_services() {
  export ADRECS_SERVICES_DIR=$1 DB_SCHEMA=$2 S3_BUCKET=$3 LOG_LEVEL=warning
  export PORT=$(free_port) ADRECS_INGEST_PORT=$(free_port) ADRECS_MODELS_PORT=$(free_port) ADRECS_WRITER_PORT=$(free_port)
  export MESSAGING_MODELS_ENDPOINT="tcp://127.0.0.1:$(free_port)" MESSAGING_WRITER_ENDPOINT="tcp://127.0.0.1:$(free_port)"
  source "$ROOT/scripts/services.sh"
}

# Does something accept TCP connections on 127.0.0.1:$1?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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

# Deletes bucket $1 with its objects (SeaweedFS deletes a non-empty bucket) at $S3_ENDPOINT; the
# key pair goes to curl on stdin, never on its command line.
drop_bucket() {
  curl -fsS -o /dev/null --max-time 30 -K - --aws-sigv4 "aws:amz:$S3_REGION:s3" -X DELETE \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$S3_ENDPOINT/$1" <<<"user = \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""
}

# Prints the Python of the checks' venv (.local/static-venv: cfn-lint and PyYAML, pinned in
# scripts/static-requirements.txt), creating or refreshing it with venv_install when the pins change;
# scripts/check-static.sh and scripts/smoke.sh run their Python checks with it.
check_python() {
  local requirements="$ROOT/scripts/static-requirements.txt"
  venv_install "$LOCAL/static-venv" "$SYSTEM_PYTHON" "$requirements" -- --disable-pip-version-check -r "$requirements"
  echo "$LOCAL/static-venv/bin/python"
}
