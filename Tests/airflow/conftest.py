"""Shared setup for the Airflow tests: Airflow's environment (set before Airflow is imported),
the DAG folder on sys.path, and the DAG loaded through a real DagBag."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"

# scripts/test-airflow.sh sets these; the defaults let `pytest Tests/airflow` run from the venv too.
os.environ.setdefault("AIRFLOW_HOME", str(ROOT / ".local" / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
# Settings of the DAG for tests (short waits; the defaults otherwise), whatever the caller's
# environment holds: parse-time ones are read when the DAG file is parsed.
os.environ.update({
    "AIRFLOW_VAR_ADRECS_POKE_SECONDS": "1",
    "AIRFLOW_VAR_ADRECS_STAGE_TIMEOUT_MINUTES": "4",
    "AIRFLOW_VAR_ADRECS_RETRY_DELAY_SECONDS": "1",
    "AIRFLOW_VAR_ADRECS_API_WAIT_SECONDS": "20",
})
for name in ("AIRFLOW_VAR_ADRECS_SCHEDULE", "AIRFLOW_VAR_ADRECS_CATCHUP", "AIRFLOW_VAR_ADRECS_RETRIES",
             "AIRFLOW_VAR_ADRECS_START_DATE", "AIRFLOW_CONN_ADRECS_INGEST", "AIRFLOW_CONN_ADRECS_DB",
             "AIRFLOW_CONN_ADRECS_API"):
    os.environ.pop(name, None)
sys.path.insert(0, str(DAGS))


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


@pytest.fixture(scope="session")
def dag(dagbag):
    return dagbag.dags["adrecs_nightly"]


@pytest.fixture(scope="session")
def nightly():
    """The DAG module itself, for its pure functions."""
    import adrecs_nightly

    return adrecs_nightly
