"""The DAG's failure alert (FailureAlert, each task's on_failure_callback): dag.test() of a night
that fails at its kick (a local stub of ingest refuses the date), with the alert connection
`adrecs_alerts` pointing at a real HTTP receiver in this process, missing, or refusing."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from test_real_chain import run_dag
from test_sensor_logic import Stub

DOWNSTREAM = ("wait_ingest", "wait_models", "wait_writer", "check_served")
REFUSAL = (400, {"error": {"code": "future_date", "message": "2025-01-01 is later than tomorrow"}})


@pytest.fixture
def receiver(monkeypatch):
    """One local HTTP server as both ingest's control endpoint (`/runs`) and the alert receiver
    (`/alerts`, given as the connection's full URL): it answers in order and records every request."""
    server = Stub()
    monkeypatch.setenv("AIRFLOW_CONN_ADRECS_INGEST", json.dumps(
        {"conn_type": "http", "host": "127.0.0.1", "port": server.port, "schema": "http"}))
    monkeypatch.setenv("AIRFLOW_CONN_ADRECS_ALERTS", json.dumps(
        {"conn_type": "http", "host": f"http://127.0.0.1:{server.port}/alerts", "extra": {"X-Adrecs-Test": "1"}}))
    yield server
    server.close()


def failed_at_kick(logical_date: str, date: str):
    """Runs the DAG for `date`; asserts it failed at kick, once (no retry), and nothing after ran."""
    outcome, states, tries, _, text = run_dag(logical_date, {"date": date})
    assert outcome.split(".")[-1].lower() == "failed", text[-3000:]
    assert states["kick"] == "failed" and tries["kick"] == 1, (states, tries, text[-3000:])
    assert all(states[task] == "upstream_failed" for task in DOWNSTREAM), (states, text[-3000:])
    return text


def run_id_of(text: str) -> str:
    line = [line for line in text.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])["run_id"]


def test_a_failed_night_posts_one_alert_naming_the_dag_run_and_failed_task(receiver):
    receiver.responses = [REFUSAL, (200, {"ok": True})]
    text = failed_at_kick("2025-01-02T04:00:00+00:00", "2025-01-01")
    methods_paths = [(method, path) for method, path, _ in receiver.requests]
    assert methods_paths == [("POST", "/runs"), ("POST", "/alerts")], (receiver.requests, text[-3000:])
    alert = json.loads(receiver.requests[1][2])
    assert alert["event"] == "task_failed"
    assert alert["dag_id"] == "adrecs_nightly"
    assert alert["run_id"] == run_id_of(text)
    assert alert["task_id"] == "kick"
    assert alert["try_number"] == 1
    assert alert["date"] == "2025-01-01"
    assert "future_date" in alert["error"] and "AirflowFailException" in alert["error"], alert
    assert alert["run_id"] in alert["text"] and "kick" in alert["text"] and "future_date" in alert["text"]
    assert "Failure alert sent to adrecs_alerts (HTTP 200)" in text


def test_without_the_connection_the_alert_is_a_logged_warning(receiver, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_ADRECS_ALERTS")
    receiver.responses = [REFUSAL]
    text = failed_at_kick("2025-01-03T04:00:00+00:00", "2025-01-02")
    assert [path for _, path, _ in receiver.requests] == ["/runs"]
    assert "No adrecs_alerts connection: nobody is alerted." in text
    assert "failed at kick" in text


def sensor_failure_context(nightly, dag):
    """The context Airflow gives a sensor's on_failure_callback after its last try."""
    error = nightly.AirflowFailException("stage ingest of run r1 failed: SignatureDoesNotMatch: …")
    ti = SimpleNamespace(dag_id=dag.dag_id, task_id="wait_ingest", try_number=4, run_id="manual__r",
                         log_url="http://127.0.0.1:8280/dags/adrecs_nightly/runs/manual__r/tasks/wait_ingest")
    return {"dag": dag, "ti": ti, "run_id": "manual__r", "params": {"date": "2025-01-03", "force": False},
            "logical_date": dt.datetime(2025, 1, 4, 4, tzinfo=dt.timezone.utc), "exception": error}


def test_a_refusing_or_unreachable_receiver_is_logged_never_raised(receiver, nightly, dag, caplog, monkeypatch):
    context = sensor_failure_context(nightly, dag)
    receiver.responses = [(500, {"error": "down"})]
    nightly.FailureAlert().notify(context)
    alert = json.loads(receiver.requests[0][2])
    assert (alert["task_id"], alert["try_number"], alert["date"], alert["logical_date"]) == \
        ("wait_ingest", 4, "2025-01-03", "2025-01-04T04:00:00+00:00")
    assert alert["log_url"].endswith("/tasks/wait_ingest") and "SignatureDoesNotMatch" in alert["error"]
    assert "The failure alert was refused by adrecs_alerts: HTTP 500" in caplog.text

    closed = Stub()
    closed.close()  # a port nothing listens on any more
    monkeypatch.setenv("AIRFLOW_CONN_ADRECS_ALERTS", json.dumps(
        {"conn_type": "http", "host": "127.0.0.1", "port": closed.port, "schema": "http"}))
    nightly.FailureAlert().notify(context)
    assert "The failure alert could not be sent to adrecs_alerts (ConnectionError)" in caplog.text
    assert str(closed.port) not in caplog.text  # the receiver's URL may hold a secret: never logged
