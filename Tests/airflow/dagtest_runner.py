"""Runs one dag.test() of adrecs_nightly in its own process, so its task logs (written to stdout
by the in-process task runner) are captured whole by the caller. The last line is
`RESULT {"state": …, "tasks": {task_id: [state, try_number]}}`.
Usage: python dagtest_runner.py LOGICAL_DATE [RUN_CONF_JSON]"""

import json
import sys

import pendulum

from conftest import DAGS


def main() -> None:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS)).dags["adrecs_nightly"]
    conf = json.loads(sys.argv[2]) if len(sys.argv) > 2 else None
    dag_run = dag.test(logical_date=pendulum.parse(sys.argv[1]), run_conf=conf)
    tasks = {ti.task_id: [str(ti.state) if ti.state else None, ti.try_number] for ti in dag_run.get_task_instances()}
    print("RESULT " + json.dumps({"state": str(dag_run.state), "tasks": tasks}), flush=True)


if __name__ == "__main__":
    main()
