"""adrecs_nightly: kicks the nightly chain for one day and tracks every stage.

One task per stage so the grid shows where a night failed:

    kick >> wait_ingest >> wait_models >> wait_writer >> check_served

(the run id flows through the chain as XCom).

- ``kick`` POSTs ``{"date": D, "force": F}`` to ingest's control endpoint (connection
  ``adrecs_ingest``) and returns the run id (XCom). ``force`` (param, default false) lets the
  writer commit a day it finds suspicious (no recommendations, or far fewer than recent days);
  ingest refuses a date later than tomorrow (``future_date``).
- ``wait_<stage>`` are reschedule-mode sensors reading that stage of the run from
  ``GET /runs/<id>``. A failed stage fails the task at once (``AirflowFailException``, no
  retries) with the stage's own error; transient HTTP errors raise and are retried with backoff.
- ``check_served`` checks PostgreSQL (connection ``adrecs_db``): ``committed_days`` holds D from
  this run and ``recommendations`` holds that many rows. Then, when an ``adrecs_api`` connection
  exists and D is in the API's window (the 7 newest committed days, read from its ``/stats/``),
  that the API serves D for one advertiser of the day (waiting briefly for its reload); a backfill
  of an older date is checked in PostgreSQL only. It logs which check it did.
- A task that fails for good sends an alert (``FailureAlert``, every task's
  ``on_failure_callback``): one JSON POST naming the DAG, the DAG run, the failed task, the day and
  the error, to the HTTP connection ``adrecs_alerts``; without that connection, a logged warning.

The day D: the ``date`` param of a manual run, else the day the data interval starts (the
schedule is a ``CronDataIntervalTimetable``: the run that fires at 04:00 UTC on D+1 covers
[D 04:00, D+1 04:00), so it processes D, the previous day). Parse-time settings come from the
environment (``AIRFLOW_VAR_ADRECS_*``), runtime settings from Airflow Variables (which include
those environment variables); connections from ``AIRFLOW_CONN_*``. No secret lives here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
from typing import Any

import pendulum
from airflow.sdk import DAG, BaseHook, BaseNotifier, CronDataIntervalTimetable, Param, PokeReturnValue, Variable, task
from airflow.sdk.exceptions import AirflowFailException, AirflowNotFoundException

log = logging.getLogger(__name__)

DAG_ID = "adrecs_nightly"
STAGES = ("ingest", "models", "writer")
INGEST_CONN_ID = "adrecs_ingest"
DB_CONN_ID = "adrecs_db"
API_CONN_ID = "adrecs_api"
ALERTS_CONN_ID = "adrecs_alerts"
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HTTP_TIMEOUT_SECONDS = 15
# The API holds the newest 7 committed days (services/api: Snapshot.windowDays).
API_WINDOW_DAYS = 7


class TransientError(Exception):
    """A failure worth retrying (connection refused, timeout, 5xx): the task retries with backoff."""


def setting(name: str, default: str) -> str:
    """A parse-time setting: the environment variable ``AIRFLOW_VAR_<NAME>`` (the same name an
    Airflow Variable from the environment has), else ``default``. Read from the environment only,
    so parsing the DAG file never queries the metadata database."""
    value = os.environ.get(f"AIRFLOW_VAR_{name.upper()}", "").strip()
    return value or default


def int_setting(name: str, default: int) -> int:
    text = setting(name, str(default))
    try:
        value = int(text)
    except ValueError as error:
        raise ValueError(f"AIRFLOW_VAR_{name.upper()} must be an integer, got {text!r}") from error
    if value < 0:
        raise ValueError(f"AIRFLOW_VAR_{name.upper()} must not be negative, got {value}")
    return value


# ---------------------------------------------------------------------------------------------
# Pure logic (unit-tested without Airflow's scheduler)


def parse_date(text: str) -> str:
    """``text`` if it is a calendar date ``YYYY-MM-DD``, else ``AirflowFailException``."""
    if not isinstance(text, str) or not DATE_PATTERN.match(text):
        raise AirflowFailException(f"the date must be YYYY-MM-DD, got {text!r}")
    try:
        dt.date.fromisoformat(text)
    except ValueError as error:
        raise AirflowFailException(f"not a calendar date: {text!r}") from error
    return text


def target_date(
    param_date: str | None,
    data_interval_start: dt.datetime | None,
    run_after: dt.datetime | None = None,
) -> str:
    """The day a run processes: the ``date`` param when given; else the (UTC) day the data
    interval starts, i.e. the day before the run fires; else (a manual run with no logical date
    and no data interval) the UTC day before ``run_after``."""
    if param_date:
        return parse_date(param_date)
    if data_interval_start is not None:
        return pendulum.instance(data_interval_start).in_timezone("UTC").date().isoformat()
    if run_after is not None:
        return (pendulum.instance(run_after).in_timezone("UTC").date() - dt.timedelta(days=1)).isoformat()
    raise AirflowFailException("no date: give the run a 'date' param")


def date_from_context(context: dict[str, Any]) -> str:
    dag_run = context.get("dag_run")
    params = context.get("params") or {}
    return target_date(
        params.get("date"),
        context.get("data_interval_start"),
        getattr(dag_run, "run_after", None),
    )


def force_from_context(context: dict[str, Any]) -> bool:
    """The ``force`` param of the run (false when absent)."""
    value = (context.get("params") or {}).get("force")
    if value is None:
        return False
    if not isinstance(value, bool):
        raise AirflowFailException(f"the force param must be true or false, got {value!r}")
    return value


def api_holds(date: str, held: list[str], window: int = API_WINDOW_DAYS) -> bool:
    """Whether the API serves ``date`` once it has reloaded, given the dates it holds now
    (``/stats/``'s ``dates``): it holds the ``window`` newest committed days, so a date it holds,
    or one newer than its oldest (or any while it holds fewer than ``window``), is served after
    the reload; an older date with a full window is outside it (a backfill) and never served."""
    if date in held:
        return True
    if len(held) < window:
        return True
    return date > min(held)


def stage_outcome(run: dict[str, Any], stage: str) -> tuple[bool, str]:
    """Reads ``stage`` of a run JSON (as ``GET /runs/<id>`` returns it).

    Returns ``(True, summary)`` when the stage succeeded and ``(False, summary)`` while it is
    pending, queued or running, including a stage the services queued again for another attempt
    (its worker was lost, or a dependency was down: the summary says why). Raises
    ``AirflowFailException`` carrying the stage's own error when it failed, or the run's error when
    the run failed before the stage ran.
    """
    run_id = run.get("run_id", "?")
    stages = {s.get("stage"): s for s in run.get("stages") or [] if isinstance(s, dict)}
    record = stages.get(stage)
    if record is None:
        raise AirflowFailException(f"run {run_id} has no {stage} stage: {json.dumps(run)[:500]}")
    state = record.get("state")
    counts = record.get("counts") or {}
    summary = f"run {run_id} {stage}: {state}"
    if counts:
        summary += " " + " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    if state == "succeeded":
        return True, summary
    if state == "failed":
        error = record.get("error") or run.get("error") or "no error recorded"
        raise AirflowFailException(f"stage {stage} of run {run_id} failed: {error}")
    if state not in ("pending", "queued", "running"):
        raise AirflowFailException(f"run {run_id} {stage}: unknown state {state!r}")
    if run.get("state") == "failed":
        error = run.get("error") or "no error recorded"
        raise AirflowFailException(f"run {run_id} failed before stage {stage} finished: {error}")
    if state in ("queued", "running") and record.get("error"):
        summary += f" (attempt {int(record.get('attempts') or 0) + (state == 'queued')}, re-attempt after: {record['error']})"
    return False, summary


# ---------------------------------------------------------------------------------------------
# I/O through Airflow connections


def _http(conn_id: str, method: str):
    from airflow.providers.http.hooks.http import HttpHook

    return HttpHook(method=method, http_conn_id=conn_id)


def _request(conn_id: str, method: str, endpoint: str, **kwargs: Any):
    """One HTTP request; connection errors and timeouts become ``TransientError``."""
    import requests

    hook = _http(conn_id, method)
    try:
        return hook.run(
            endpoint,
            extra_options={"check_response": False, "timeout": HTTP_TIMEOUT_SECONDS},
            **kwargs,
        )
    except (requests.ConnectionError, requests.Timeout) as error:
        raise TransientError(f"{method} {endpoint} on {conn_id}: {error}") from error


def _error_text(response) -> str:
    try:
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return f"{body['error'].get('code')}: {body['error'].get('message')}"
    except ValueError:
        pass
    return response.text[:500]


def kick_run(date: str, force: bool = False, conn_id: str = INGEST_CONN_ID) -> str:
    """POST /runs for ``date`` (with ``force``); returns the new run id. 409 (a run of the date is
    in progress) and 4xx (``future_date`` for a date later than tomorrow) fail at once; 5xx and
    connection errors are transient."""
    response = _request(
        conn_id, "POST", "/runs",
        data=json.dumps({"date": date, "force": force}), headers={"Content-Type": "application/json"},
    )
    if response.status_code in (200, 201, 202):
        run = response.json()
        run_id = run.get("run_id")
        if not run_id:
            raise AirflowFailException(f"ingest answered {response.status_code} with no run_id: {response.text[:500]}")
        log.info("Kicked run %s for %s (state %s, force %s)", run_id, date, run.get("state"), run.get("force", force))
        return run_id
    if response.status_code == 409:
        raise AirflowFailException(
            f"ingest refused the kick of {date}: a run of that date is in progress ({_error_text(response)}); "
            "wait for it to end (or to go stale) and clear this task"
        )
    if 400 <= response.status_code < 500:
        raise AirflowFailException(f"ingest refused the kick of {date}: HTTP {response.status_code} {_error_text(response)}")
    raise TransientError(f"POST /runs answered HTTP {response.status_code}: {_error_text(response)}")


def read_run(run_id: str, conn_id: str = INGEST_CONN_ID) -> dict[str, Any]:
    """GET /runs/<id>. 404 fails at once; 5xx and connection errors are transient."""
    response = _request(conn_id, "GET", f"/runs/{run_id}")
    if response.status_code == 200:
        return response.json()
    if response.status_code == 404:
        raise AirflowFailException(f"ingest knows no run {run_id}: {_error_text(response)}")
    if 400 <= response.status_code < 500:
        raise AirflowFailException(f"GET /runs/{run_id} answered HTTP {response.status_code}: {_error_text(response)}")
    raise TransientError(f"GET /runs/{run_id} answered HTTP {response.status_code}: {_error_text(response)}")


def poke_stage(run_id: str, stage: str, conn_id: str = INGEST_CONN_ID) -> PokeReturnValue:
    """One poke of a stage sensor: done when the stage succeeded (XCom: the run id, for the
    next task)."""
    run = read_run(run_id, conn_id)
    done, summary = stage_outcome(run, stage)
    log.info("%s", summary)
    return PokeReturnValue(is_done=done, xcom_value=run_id if done else None)


def _db_connect(conn_id: str = DB_CONN_ID):
    """A psycopg2 connection from the ``adrecs_db`` connection (host, port, login, password,
    schema = database name; extra ``sslmode`` and ``db_schema``, the schema of the adrecs tables,
    default ``public``). Returns ``(connection, db_schema)``."""
    import psycopg2

    conn = BaseHook.get_connection(conn_id)
    extra = conn.extra_dejson or {}
    kwargs: dict[str, Any] = {
        "host": conn.host or "127.0.0.1",
        "port": int(conn.port or 5432),
        "user": conn.login,
        "dbname": conn.schema or "adrecs",
        "connect_timeout": 10,
        "application_name": "airflow-adrecs-nightly",
    }
    if conn.password:
        kwargs["password"] = conn.password
    if extra.get("sslmode"):
        kwargs["sslmode"] = extra["sslmode"]
    try:
        return psycopg2.connect(**kwargs), extra.get("db_schema") or "public"
    except psycopg2.OperationalError as error:
        raise TransientError(f"cannot connect to PostgreSQL ({conn_id}): {error}") from error


def check_database(date: str, run_id: str, force: bool = False, conn_id: str = DB_CONN_ID) -> dict[str, Any]:
    """Checks that ``date`` is committed by ``run_id`` and that its rows are all there (none only
    when the run was forced). Returns the committed day and one advertiser/model of it (for the
    API check; ``None`` for an empty day)."""
    from psycopg2 import sql

    connection, schema = _db_connect(conn_id)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("SELECT run_id, recommendation_rows, advertisers FROM {}.committed_days WHERE date = %s").format(
                    sql.Identifier(schema)
                ),
                (date,),
            )
            row = cursor.fetchone()
            if row is None:
                raise AirflowFailException(f"{schema}.committed_days has no row for {date}")
            committed_run, rows, advertisers = row
            if committed_run != run_id:
                raise AirflowFailException(f"{date} is committed by run {committed_run}, not by this run {run_id}")
            cursor.execute(
                sql.SQL("SELECT count(*), count(DISTINCT advertiser_id) FROM {}.recommendations WHERE date = %s").format(
                    sql.Identifier(schema)
                ),
                (date,),
            )
            stored, stored_advertisers = cursor.fetchone()
            if stored != rows:
                raise AirflowFailException(
                    f"{date}: committed_days says {rows} recommendation rows, the table holds {stored}"
                )
            sample = None
            if stored == 0 and not force:
                raise AirflowFailException(
                    f"{date} is committed by {run_id} with no recommendation rows: the raw data has no "
                    f"activity of active advertisers on that day (wrong date or missing input?)"
                )
            if stored == 0:
                log.warning("%s is committed by %s with no recommendation rows (the run was forced)", date, run_id)
            else:
                cursor.execute(
                    sql.SQL(
                        "SELECT advertiser_id, model, count(*) FROM {}.recommendations WHERE date = %s "
                        "GROUP BY advertiser_id, model ORDER BY advertiser_id, model LIMIT 1"
                    ).format(sql.Identifier(schema)),
                    (date,),
                )
                advertiser, model, items = cursor.fetchone()
                sample = {"advertiser_id": advertiser, "model": model, "items": items}
    finally:
        connection.close()
    log.info(
        "PostgreSQL: %s committed by %s: %s rows, %s advertisers (%s with recommendations)",
        date, run_id, rows, advertisers, stored_advertisers,
    )
    return {"date": date, "run_id": run_id, "rows": rows, "advertisers": advertisers, "sample": sample}


def connection_defined(conn_id: str) -> bool:
    """Whether the Airflow connection ``conn_id`` exists (``AIRFLOW_CONN_<ID>``, or the metadata DB)."""
    try:
        BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return False
    return True


def api_held_dates(conn_id: str = API_CONN_ID) -> list[str]:
    """The dates the API holds now (``GET /stats/``'s ``dates``); none while it has loaded no
    snapshot yet (503). Other answers fail; connection errors and 5xx are transient."""
    response = _request(conn_id, "GET", "/stats/")
    if response.status_code == 200:
        dates = response.json().get("dates")
        if not isinstance(dates, list):
            raise AirflowFailException(f"the API's /stats/ has no dates: {response.text[:500]}")
        return [d for d in dates if isinstance(d, str)]
    if response.status_code == 503:
        return []
    if 400 <= response.status_code < 500:
        raise AirflowFailException(f"GET /stats/ answered HTTP {response.status_code}: {_error_text(response)}")
    raise TransientError(f"GET /stats/ answered HTTP {response.status_code}: {_error_text(response)}")


def check_api(date: str, advertiser: str, model: str, items: int, wait_seconds: float,
              conn_id: str = API_CONN_ID, interval: float = 0.5) -> dict[str, Any]:
    """Polls ``GET /recommendations/<adv>/<model>?date=D`` until it answers 200 with that date and
    ``items`` items (the API reloads within seconds of a commit), for at most ``wait_seconds``."""
    endpoint = f"/recommendations/{advertiser}/{model}"
    deadline = time.monotonic() + wait_seconds
    last = "no answer"
    while True:
        try:
            response = _request(conn_id, "GET", endpoint, data={"date": date})
            if response.status_code == 200:
                body = response.json()
                served = len(body.get("items") or [])
                if body.get("date") == date and body.get("advertiser_id") == advertiser and served == items:
                    log.info("API serves %s %s for %s (%s items)", advertiser, model, date, served)
                    return body
                last = f"200 with date {body.get('date')!r}, {served} items (expected {items})"
            else:
                last = f"HTTP {response.status_code} {_error_text(response)}"
        except TransientError as error:
            last = str(error)
        if time.monotonic() >= deadline:
            raise AirflowFailException(
                f"the API does not serve {advertiser}/{model} for {date} after {wait_seconds:g} s: {last}"
            )
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------
# Failure alerts


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else None


def failure_alert(context: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of the alert for a task that failed for good (no retry left): the DAG, the
    DAG run, the failed task and its try, the day D, the error and the task log's URL; ``text``
    says it in one line (the field chat webhooks such as Slack's display)."""
    ti = context.get("ti") or context.get("task_instance")
    dag = context.get("dag")
    dag_run = context.get("dag_run")
    dag_id = getattr(dag, "dag_id", None) or getattr(ti, "dag_id", None) or DAG_ID
    run_id = context.get("run_id") or getattr(dag_run, "run_id", None) or getattr(ti, "run_id", None)
    task_id = getattr(ti, "task_id", None)
    try:
        date = date_from_context(context)
    except Exception:  # the alert goes out even when the run's day cannot be told
        date = None
    error = context.get("exception")
    error_text = f"{type(error).__name__}: {error}"[:2000] if error is not None else None
    return {
        "event": "task_failed",
        "dag_id": dag_id,
        "run_id": run_id,
        "task_id": task_id,
        "try_number": getattr(ti, "try_number", None),
        "date": date,
        "logical_date": _iso(context.get("logical_date")),
        "error": error_text,
        "log_url": getattr(ti, "log_url", None),
        "text": f"{dag_id}: run {run_id} (day {date or '?'}) failed at {task_id}: "
                f"{error_text or 'no error recorded; see the task log'}",
    }


class FailureAlert(BaseNotifier):
    """Each task's ``on_failure_callback``: POSTs ``failure_alert(context)`` as JSON to the HTTP
    connection ``adrecs_alerts`` (its host, or full URL, and port; extras are sent as headers, e.g.
    an ``Authorization``). Without that connection it logs a warning. A receiver that cannot be
    reached or answers an error is logged, never raised: the task has failed already, and the
    alert must not change how. Airflow calls it once per failed task, after the last retry; the
    chain stops at its first failed task (the later ones are ``upstream_failed``), so a failed
    night sends one alert."""

    def __init__(self, conn_id: str = ALERTS_CONN_ID):
        super().__init__()
        self.conn_id = conn_id

    def notify(self, context: dict[str, Any]) -> None:
        alert = failure_alert(context)
        try:
            if not connection_defined(self.conn_id):
                log.warning("No %s connection: nobody is alerted. %s", self.conn_id, alert["text"])
                return
            response = _request(self.conn_id, "POST", "", json=alert)
        except Exception as error:  # a broken receiver or connection must not raise from the callback
            # Only the error's type: its text names the URL, and a webhook's URL is its secret.
            cause = error.__cause__ or error
            log.error("The failure alert could not be sent to %s (%s). %s", self.conn_id, type(cause).__name__, alert["text"])
            return
        if 200 <= response.status_code < 300:
            log.info("Failure alert sent to %s (HTTP %s): %s", self.conn_id, response.status_code, alert["text"])
        else:
            log.error("The failure alert was refused by %s: HTTP %s %s. %s",
                      self.conn_id, response.status_code, response.text[:200], alert["text"])


# ---------------------------------------------------------------------------------------------
# The DAG

SCHEDULE = setting("adrecs_schedule", "0 4 * * *")
POKE_SECONDS = int_setting("adrecs_poke_seconds", 30)
STAGE_TIMEOUT_SECONDS = int_setting("adrecs_stage_timeout_minutes", 60) * 60
RETRIES = int_setting("adrecs_retries", 3)
RETRY_DELAY_SECONDS = int_setting("adrecs_retry_delay_seconds", 30)
CATCHUP = setting("adrecs_catchup", "false").lower() in ("1", "true", "yes")
START_DATE = pendulum.parse(setting("adrecs_start_date", "2024-11-01"), tz="UTC")

default_args = {
    "owner": "adrecs",
    "retries": RETRIES,
    "retry_delay": dt.timedelta(seconds=RETRY_DELAY_SECONDS),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": dt.timedelta(minutes=10),
    "on_failure_callback": FailureAlert(),
}

with DAG(
    dag_id=DAG_ID,
    description="Kicks the adrecs chain for the previous day and tracks ingest, models, writer and serving",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=START_DATE,
    catchup=CATCHUP,
    max_active_runs=1,
    default_args=default_args,
    params={
        "date": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            description="The day to process (YYYY-MM-DD); empty: the data interval's day",
        ),
        "force": Param(
            False,
            type="boolean",
            description="Commit the day even if the writer finds it suspicious (no recommendations, "
                        "or fewer than half the median of the last 7 committed days)",
        ),
    },
    tags=["adrecs"],
    doc_md=__doc__,
) as dag:

    @task(task_id="kick")
    def kick(**context: Any) -> str:
        date = date_from_context(context)
        force = force_from_context(context)
        log.info("Kicking the chain for %s (force %s)", date, force)
        return kick_run(date, force)

    def make_sensor(stage: str):
        @task.sensor(
            task_id=f"wait_{stage}",
            mode="reschedule",
            poke_interval=POKE_SECONDS,
            timeout=STAGE_TIMEOUT_SECONDS,
        )
        def wait(ledger_run_id: str) -> PokeReturnValue:
            return poke_stage(ledger_run_id, stage)

        return wait

    @task(task_id="check_served")
    def check_served(ledger_run_id: str, **context: Any) -> dict[str, Any]:
        date = date_from_context(context)
        result = check_database(date, ledger_run_id, force_from_context(context))
        if not connection_defined(API_CONN_ID):
            log.info("Checked in PostgreSQL only: no %s connection", API_CONN_ID)
            result["api"] = "not configured"
            return result
        held = api_held_dates()
        if not api_holds(date, held):
            log.info("Checked in PostgreSQL only: %s is outside the API's window of the %s newest committed "
                     "days (it holds %s)", date, API_WINDOW_DAYS, ", ".join(held))
            result["api"] = "outside window"
            return result
        sample = result["sample"]
        if sample is None:
            log.info("Checked in PostgreSQL only: %s has no recommendation to ask the API for", date)
            result["api"] = "empty day"
            return result
        wait_seconds = float(Variable.get("adrecs_api_wait_seconds", default="30"))
        check_api(date, sample["advertiser_id"], sample["model"], sample["items"], wait_seconds)
        log.info("Checked in PostgreSQL and the API: %s is in the API's window", date)
        result["api"] = "served"
        return result

    # The ledger's run id flows through the chain, so each task depends on the previous one only.
    # (The parameter is not called run_id: that name is Airflow's own context key.)
    ledger_run_id = kick()
    for stage in STAGES:
        ledger_run_id = make_sensor(stage)(ledger_run_id)
    check_served(ledger_run_id)
