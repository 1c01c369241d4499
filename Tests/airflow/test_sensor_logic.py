"""Failure semantics of kick and the stage sensors, against a local HTTP stub of ingest's
control endpoint (the only place a stub is used; the real chain is in test_real_chain.py)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from airflow.sdk.exceptions import AirflowFailException

RUN_ID = "2024-11-20T040001-3f9a0c1e"


def run_json(states, run_state="running", errors=None, run_error=None):
    errors = errors or {}
    return {
        "run_id": RUN_ID, "date": "2024-11-20", "state": run_state, "created_at": "2024-11-21T04:00:01Z",
        "finished_at": None, "error": run_error,
        "stages": [
            {"stage": stage, "state": state, "queued_at": None, "started_at": None, "finished_at": None,
             "heartbeat_at": None, "worker": None, "counts": {"rows": 3} if state == "succeeded" else {},
             "s3_keys": {}, "error": errors.get(stage)}
            for stage, state in zip(("ingest", "models", "writer"), states)
        ],
    }


class Stub:
    """Answers each request with the next (status, body) of `responses`; records requests."""

    def __init__(self):
        self.responses: list[tuple[int, object]] = []
        self.requests: list[tuple[str, str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                stub.requests.append((self.command, self.path, body))
                status, payload = stub.responses.pop(0) if stub.responses else (500, {"error": {"code": "internal", "message": "empty stub"}})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub(monkeypatch):
    server = Stub()
    monkeypatch.setenv(
        "AIRFLOW_CONN_ADRECS_INGEST",
        json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": server.port, "schema": "http"}),
    )
    yield server
    server.close()


@pytest.mark.parametrize(
    "stage, states",
    [("ingest", ("queued", "pending", "pending")), ("ingest", ("running", "pending", "pending")),
     ("models", ("succeeded", "queued", "pending")), ("writer", ("succeeded", "succeeded", "running"))],
)
def test_poke_not_done_while_stage_is_active(stub, nightly, stage, states):
    stub.responses = [(200, run_json(states))]
    result = nightly.poke_stage(RUN_ID, stage)
    assert result.is_done is False
    assert stub.requests == [("GET", f"/runs/{RUN_ID}", "")]


@pytest.mark.parametrize("stage", ["ingest", "models", "writer"])
def test_poke_done_when_stage_succeeded(stub, nightly, stage):
    states = {"ingest": ("succeeded", "queued", "pending"), "models": ("succeeded", "succeeded", "queued"),
              "writer": ("succeeded", "succeeded", "succeeded")}[stage]
    stub.responses = [(200, run_json(states, run_state="succeeded" if stage == "writer" else "running"))]
    result = nightly.poke_stage(RUN_ID, stage)
    assert result.is_done is True
    assert result.xcom_value == RUN_ID


def test_failed_stage_fails_at_once_with_its_own_error(stub, nightly):
    error = "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided."
    stub.responses = [(200, run_json(("failed", "pending", "pending"), run_state="failed",
                                     errors={"ingest": error}, run_error="ingest: " + error))]
    with pytest.raises(AirflowFailException) as raised:
        nightly.poke_stage(RUN_ID, "ingest")
    assert "SignatureDoesNotMatch" in str(raised.value)
    assert "stage ingest" in str(raised.value)


def test_later_stage_fails_when_the_run_failed_before_it(stub, nightly):
    stub.responses = [(200, run_json(("succeeded", "failed", "pending"), run_state="failed",
                                     errors={"models": "no models worker took the message within 5 s"},
                                     run_error="models: no models worker took the message within 5 s"))]
    with pytest.raises(AirflowFailException, match="no models worker"):
        nightly.poke_stage(RUN_ID, "models")
    stub.responses = [(200, run_json(("succeeded", "failed", "pending"), run_state="failed",
                                     run_error="models: no models worker took the message within 5 s"))]
    with pytest.raises(AirflowFailException, match="failed before stage writer finished: models: no models worker"):
        nightly.poke_stage(RUN_ID, "writer")


def test_unknown_run_fails_at_once(stub, nightly):
    stub.responses = [(404, {"error": {"code": "not_found", "message": "no run with id 'x'"}})]
    with pytest.raises(AirflowFailException, match="not_found"):
        nightly.poke_stage("x", "ingest")


def test_server_error_is_transient_and_retried(stub, nightly):
    stub.responses = [(503, {"error": {"code": "unavailable", "message": "database down"}})]
    with pytest.raises(nightly.TransientError, match="503") as raised:
        nightly.poke_stage(RUN_ID, "ingest")
    assert not isinstance(raised.value, AirflowFailException)


def test_connection_refused_is_transient(monkeypatch, nightly):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AIRFLOW_CONN_ADRECS_INGEST",
                       json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": port, "schema": "http"}))
    with pytest.raises(nightly.TransientError, match="Connection refused|Failed to establish"):
        nightly.poke_stage(RUN_ID, "ingest")


def test_kick_posts_the_date_and_returns_the_run_id(stub, nightly):
    stub.responses = [(202, run_json(("queued", "pending", "pending"), run_state="queued"))]
    assert nightly.kick_run("2024-11-20") == RUN_ID
    method, path, body = stub.requests[0]
    assert (method, path, json.loads(body)) == ("POST", "/runs", {"date": "2024-11-20", "force": False})


def test_kick_posts_force(stub, nightly):
    stub.responses = [(202, run_json(("queued", "pending", "pending"), run_state="queued"))]
    assert nightly.kick_run("2024-11-20", force=True) == RUN_ID
    assert json.loads(stub.requests[0][2]) == {"date": "2024-11-20", "force": True}


def test_kick_of_a_future_date_fails_at_once(stub, nightly):
    message = "2099-01-01 is later than tomorrow (2026-12-07, UTC): a run may not be kicked for a future date"
    stub.responses = [(400, {"error": {"code": "future_date", "message": message}})]
    with pytest.raises(AirflowFailException, match="future_date: 2099-01-01 is later than tomorrow"):
        nightly.kick_run("2099-01-01")


def test_force_param_reaches_the_kick_body(stub):
    """dag.test() with {"force": true}: the kick task POSTs it; the stub then fails the ingest
    stage, so the run ends at wait_ingest."""
    from test_real_chain import run_dag

    failed = run_json(("failed", "pending", "pending"), run_state="failed", errors={"ingest": "stub: no input"},
                      run_error="ingest: stub: no input")
    stub.responses = [(202, run_json(("queued", "pending", "pending"), run_state="queued")), (200, failed)]
    run_state, states, _, logs, text = run_dag("2024-11-25T04:00:00+00:00", {"date": "2024-11-20", "force": True})
    assert states["kick"] == "success" and states["wait_ingest"] == "failed", (states, text[-3000:])
    method, path, body = stub.requests[0]
    assert (method, path, json.loads(body)) == ("POST", "/runs", {"date": "2024-11-20", "force": True})
    assert "force True" in logs["kick"]
    # Without the param, force is false.
    stub.requests.clear()
    stub.responses = [(202, run_json(("queued", "pending", "pending"), run_state="queued")), (200, failed)]
    run_dag("2024-11-25T04:00:00+00:00", {"date": "2024-11-20"})
    assert json.loads(stub.requests[0][2]) == {"date": "2024-11-20", "force": False}


HELD = ["2024-11-27", "2024-11-26", "2024-11-25", "2024-11-24", "2024-11-23", "2024-11-22", "2024-11-21"]


@pytest.mark.parametrize(
    "date, held, expected",
    [
        ("2024-11-24", HELD, True),           # held now
        ("2024-11-28", HELD, True),           # newer: held once the API reloads
        ("2024-11-20", HELD, False),          # older than a full window: a backfill, never served
        ("2024-11-20", HELD[:3], True),       # the window is not full yet
        ("2024-11-20", [], True),             # nothing loaded yet
        ("2024-11-24", [d for d in HELD if d != "2024-11-24"] + ["2024-11-19"], True),  # a gap filled
    ],
)
def test_api_holds_only_dates_in_its_window(nightly, date, held, expected):
    assert nightly.api_holds(date, held) is expected


def test_kick_conflict_fails_clearly(stub, nightly):
    stub.responses = [(409, {"error": {"code": "run_in_progress", "message": f"a run of 2024-11-20 is in progress: {RUN_ID}"}})]
    with pytest.raises(AirflowFailException, match=f"in progress.*run_in_progress.*{RUN_ID}"):
        nightly.kick_run("2024-11-20")


def test_kick_bad_request_fails_and_server_error_retries(stub, nightly):
    stub.responses = [(400, {"error": {"code": "invalid_date", "message": "not a calendar date"}})]
    with pytest.raises(AirflowFailException, match="invalid_date"):
        nightly.kick_run("2024-11-20")
    stub.responses = [(500, {"error": {"code": "internal", "message": "internal error"}})]
    with pytest.raises(nightly.TransientError):
        nightly.kick_run("2024-11-20")


@pytest.mark.parametrize(
    "run, stage, message",
    [
        ({"run_id": RUN_ID, "state": "running", "stages": []}, "ingest", "has no ingest stage"),
        (run_json(("exploded", "pending", "pending")), "ingest", "unknown state"),
    ],
)
def test_malformed_run_fails(nightly, run, stage, message):
    with pytest.raises(AirflowFailException, match=message):
        nightly.stage_outcome(run, stage)


def test_a_stage_queued_again_after_a_lost_worker_is_in_progress_not_failed(stub, nightly, caplog):
    """The services re-attempt a stage whose worker died: the sensor waits, and says so."""
    run = run_json(("succeeded", "queued", "pending"), errors={"models": "worker lost: no heartbeat for 31 s"})
    run["stages"][1]["attempts"] = 1
    stub.responses = [(200, run)]
    with caplog.at_level("INFO"):
        result = nightly.poke_stage(RUN_ID, "models")
    assert result.is_done is False
    assert "re-attempt after: worker lost: no heartbeat for 31 s" in caplog.text
