"""Runs one dag.test() of adrecs_nightly in its own process, so its task logs (written to stdout
by the in-process task runner) are captured whole by the caller. The last line is
`RESULT {"state": …, "run_id": …, "tasks": {task_id: [state, try_number]}}`.
Usage: python dagtest_runner.py LOGICAL_DATE [RUN_CONF_JSON], with the environment of
scripts/test-airflow.sh (AIRFLOW_HOME, AIRFLOW_VAR_*, AIRFLOW_CONN_*)."""

import json
import sys
from pathlib import Path

import pendulum

# Not conftest: it resets the AIRFLOW_CONN_* this process must inherit.
DAGS = Path(__file__).resolve().parents[2] / "dags"


def main() -> None:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS)).dags["adrecs_nightly"]
    conf = json.loads(sys.argv[2]) if len(sys.argv) > 2 else None
    dag_run = dag.test(logical_date=pendulum.parse(sys.argv[1]), run_conf=conf)
    tasks = {ti.task_id: [str(ti.state) if ti.state else None, ti.try_number] for ti in dag_run.get_task_instances()}
    print("RESULT " + json.dumps({"state": str(dag_run.state), "run_id": dag_run.run_id, "tasks": tasks}), flush=True)


if __name__ == "__main__":
    main()
