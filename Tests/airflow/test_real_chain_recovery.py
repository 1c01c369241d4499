"""dag.test() against the real chain while a stage process dies: the DAG run still succeeds, with
no second kick, because the services redeliver and re-attempt from the ledger."""

from __future__ import annotations

import os
import signal
import threading
import time

from test_real_chain import (  # noqa: F401  (raw_uploaded is a fixture this module uses)
    ALL_TASKS, DAY, LOGICAL_DATE, Chain, assert_same_rows, drop_schema, expected_rows, query, raw_uploaded,
    run_dag, stored_rows,
)


def stage_state(schema: str, stage: str) -> str | None:
    rows = query(schema, "SELECT s.state FROM {schema}.run_stages s JOIN {schema}.runs r USING (run_id) "
                         "WHERE s.stage = %s ORDER BY r.created_at DESC LIMIT 1", (stage,))
    return rows[0][0] if rows else None


def test_models_killed_mid_run_and_restarted_the_dag_run_succeeds(tmp_path, raw_uploaded, monkeypatch):
    schema = f"airflow_it_{os.getpid()}_kill"
    chain = Chain(tmp_path, schema)
    for env in chain.env.values():
        env.update({"LEDGER_STALE_SECONDS": "4", "LEDGER_REDELIVER_SECONDS": "2"})
    drop_schema(schema)
    chain.start()
    chain.airflow_connections(monkeypatch)
    fault: dict[str, object] = {}

    def kill_models_mid_run() -> None:
        """Freezes models so the day's message reaches it but is never worked, SIGKILLs it once
        ingest handed over, and starts it again 2 s later."""
        models = chain.processes["models"]
        os.killpg(models.pid, signal.SIGSTOP)
        deadline = time.monotonic() + 300
        while stage_state(schema, "ingest") != "succeeded":
            if time.monotonic() > deadline:
                fault["error"] = "ingest never succeeded"
                return
            time.sleep(0.1)
        time.sleep(0.5)
        os.killpg(models.pid, signal.SIGKILL)
        models.wait()
        fault["killed"] = True
        time.sleep(2)
        chain.spawn("models", chain.env["models"], f"http://127.0.0.1:{chain.ops['models']}/health")

    try:
        injector = threading.Thread(target=kill_models_mid_run)
        injector.start()
        run_state, states, _, logs, text = run_dag(LOGICAL_DATE)
        injector.join(timeout=60)
        assert fault.get("killed") is True, fault
        assert states == {t: "success" for t in ALL_TASKS}, (states, text[-5000:], chain.log("models")[-2000:])
        assert run_state.split(".")[-1].lower() == "success"
        # One kick: the run the DAG kicked is the one committed.
        runs = query(schema, "SELECT run_id, state FROM {schema}.runs")
        assert len(runs) == 1 and runs[0][1] == "succeeded", runs
        assert f"committed by {runs[0][0]}" in logs["check_served"]
        assert_same_rows(stored_rows(schema, DAY), expected_rows(DAY))
    finally:
        chain.stop()
        drop_schema(schema)
