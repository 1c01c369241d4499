#!/usr/bin/env bash
# Runs the Airflow tests (Tests/airflow, pytest) with real Airflow 3.3.2.
# Creates .local/airflow-venv (scripts/airflow.sh install: dags/requirements.txt + the lock) when missing or
# when either file changed, migrates the SQLite metadata DB under .local/airflow (AIRFLOW_HOME),
# then runs pytest. Idempotent: a second run only runs pytest.
# The real-chain tests need PostgreSQL and SeaweedFS up (scripts/servers.sh start), the
# credentials (scripts/env.sh), the built executables in $ADRECS_BIN (default .build/debug:
# run `swift build` first) and the course data ($ADRECS_COURSE_DATA, default ../shared/data).
# Usage: scripts/test-airflow.sh [pytest arguments, e.g. -k timetable]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"

VENV="$LOCAL/airflow-venv"
STAMP="$VENV/.adrecs-lock"
export AIRFLOW_HOME="$LOCAL/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export ADRECS_BIN="${ADRECS_BIN:-$ROOT/.build/debug}"
export ADRECS_COURSE_DATA="${ADRECS_COURSE_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}"
mkdir -p "$AIRFLOW_HOME"

"$ROOT/scripts/airflow.sh" install
# A new venv (stamp newer than the DB) gets a freshly migrated metadata DB.
if [[ ! -f "$AIRFLOW_HOME/airflow.db" || "$STAMP" -nt "$AIRFLOW_HOME/airflow.db" ]]; then
  rm -f "$AIRFLOW_HOME/airflow.db"
  "$VENV/bin/airflow" db migrate >"$AIRFLOW_HOME/migrate.log" 2>&1 \
    || { tail -n 30 "$AIRFLOW_HOME/migrate.log" >&2; die "airflow db migrate failed"; }
fi

set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider Tests/airflow "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here too.
[[ $status -eq 0 ]] || die "Airflow tests failed (pytest exit $status)"
