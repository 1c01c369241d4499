"""The DAG folder imports cleanly and the DAG has exactly the tasks, dependencies and
settings the pipeline needs."""

from __future__ import annotations

import re

from conftest import DAGS


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert list(dagbag.dags) == ["adrecs_nightly"]


def test_tasks_and_dependencies(dag):
    edges = {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}
    assert edges == {
        "kick": [],
        "wait_ingest": ["kick"],
        "wait_models": ["wait_ingest"],
        "wait_writer": ["wait_models"],
        "check_served": ["wait_writer"],
    }


def test_sensors_reschedule_with_timeouts(dag):
    for stage in ("ingest", "models", "writer"):
        sensor = dag.get_task(f"wait_{stage}")
        assert sensor.mode == "reschedule"
        assert sensor.poke_interval == 1  # AIRFLOW_VAR_ADRECS_POKE_SECONDS from conftest
        assert sensor.timeout == 4 * 60  # AIRFLOW_VAR_ADRECS_STAGE_TIMEOUT_MINUTES
        assert sensor.retries >= 1 and sensor.retry_exponential_backoff > 0


def test_run_settings(dag):
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 4 * * *"
    assert dag.params.get_param("date").value is None
    assert dag.params.get_param("force").value is False
    for task in dag.tasks:
        assert task.retries >= 1
        assert task.retry_exponential_backoff > 0


def test_connections_by_id_and_no_secret_in_dag_file():
    text = (DAGS / "adrecs_nightly.py").read_text()
    for conn_id in ("adrecs_ingest", "adrecs_db", "adrecs_api"):
        assert f'"{conn_id}"' in text
    assert not re.search(r"postgres(ql)?://\w+:[^@\s]+@", text)
    assert not re.search(r"(?i)(secret|password)\s*=\s*['\"][^'\"]+['\"]", text)
