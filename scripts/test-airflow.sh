#!/usr/bin/env bash
# Runs the Airflow tests (issue 6, Tests/airflow, pytest) with real Airflow 3.3.2.
# Creates .local/airflow-venv from dags/requirements.txt + dags/requirements.lock when missing or
# when either file changed, migrates the SQLite metadata DB under .local/airflow (AIRFLOW_HOME),
# then runs pytest. Idempotent: a second run only runs pytest.
# The real-chain tests need PostgreSQL and SeaweedFS up (scripts/servers.sh start), the
# credentials (scripts/env.sh), the built executables in $ADRECS_BIN (default .build/debug:
# run `swift build` first) and the course data ($ADRECS_COURSE_DATA, default ../shared/data).
# Usage: scripts/test-airflow.sh [pytest arguments, e.g. -k timetable]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"

PYTHON="${ADRECS_PYTHON:-python3.11}"
VENV="$LOCAL/airflow-venv"
STAMP="$VENV/.adrecs-lock"
export AIRFLOW_HOME="$LOCAL/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export ADRECS_BIN="${ADRECS_BIN:-$ROOT/.build/debug}"
export ADRECS_COURSE_DATA="${ADRECS_COURSE_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}"
mkdir -p "$AIRFLOW_HOME"

want=$(cat dags/requirements.txt dags/requirements.lock | sha256sum | cut -c1-16)-$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ ! -x "$VENV/bin/python" || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
  log "installing Airflow into $VENV (dags/requirements.lock)"
  start=$SECONDS
  rm -f "$STAMP"
  [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
  {
    "$VENV/bin/python" -m pip install -q --upgrade pip &&
    "$VENV/bin/python" -m pip install -q -r dags/requirements.txt -c dags/requirements.lock &&
    "$VENV/bin/python" -m pip check
  } >"$LOCAL/airflow-install.log" 2>&1 || { tail -n 30 "$LOCAL/airflow-install.log" >&2; die "pip install failed (log: $LOCAL/airflow-install.log)"; }
  rm -f "$AIRFLOW_HOME/airflow.db"
  echo "$want" >"$STAMP"
  log "installed in $((SECONDS - start)) s"
fi
if [[ ! -f "$AIRFLOW_HOME/airflow.db" ]]; then
  "$VENV/bin/airflow" db migrate >"$AIRFLOW_HOME/migrate.log" 2>&1 \
    || { tail -n 30 "$AIRFLOW_HOME/migrate.log" >&2; die "airflow db migrate failed"; }
fi

set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider Tests/airflow "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here too.
[[ $status -eq 0 ]] || die "Airflow tests failed (pytest exit $status)"
