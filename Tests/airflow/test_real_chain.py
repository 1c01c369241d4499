"""dag.test() against the real chain: PostgreSQL and SeaweedFS (already running, addresses from
the environment: DB_URL, S3_ENDPOINT, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and
the three services started here from $ADRECS_BIN (default .build/debug) with their own schema,
bucket and ports; the API too when $ADRECS_BIN/adrecs-api exists. Fails (never skips) when
something is missing."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psycopg2
import pytest
from psycopg2 import sql

from conftest import ROOT

BIN = Path(os.environ.get("ADRECS_BIN") or ROOT / ".build" / "debug")
COURSE = Path(os.environ.get("ADRECS_COURSE_DATA") or ROOT.parent / "shared" / "data") / "course-2024"
DAY = "2024-11-20"
# A scheduled-style logical date: the data interval [2024-11-20 04:00, 2024-11-21 04:00) → DAY.
LOGICAL_DATE = "2024-11-21T04:00:00+00:00"
BUCKET = "adrecs-airflow-it"
SERVICES = ("writer", "ingest", "models")
SCHEMA_NUMBERS = itertools.count()  # writer binds its PULL, ingest its PUSH, models connects


def required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        pytest.fail(f"{name} is not set (source scripts/env.sh; scripts/test-airflow.sh does)")
    return value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def db_params() -> dict:
    url = urlparse(required_env("DB_URL"))
    query = parse_qs(url.query)
    params = {"host": url.hostname or "127.0.0.1", "port": url.port or 5432, "user": url.username,
              "dbname": url.path.lstrip("/") or "adrecs"}
    if url.password:
        params["password"] = url.password
    if "sslmode" in query:
        params["sslmode"] = query["sslmode"][0]
    return params


class Chain:
    """The three services (and the API if built) in their own sessions, on free ports."""

    def __init__(self, workdir: Path, schema: str, ingest_secret: str | None = None):
        self.workdir = workdir
        self.schema = schema
        self.processes: dict[str, subprocess.Popen] = {}
        self.ops = {name: free_port() for name in SERVICES}
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LOG_LEVEL": "info",
            "DB_URL": required_env("DB_URL"),
            "DB_SCHEMA": schema,
            "S3_ENDPOINT": required_env("S3_ENDPOINT"),
            "S3_REGION": os.environ.get("S3_REGION") or "us-east-1",
            "S3_BUCKET": BUCKET,
            "AWS_ACCESS_KEY_ID": required_env("AWS_ACCESS_KEY_ID"),
            "AWS_SECRET_ACCESS_KEY": required_env("AWS_SECRET_ACCESS_KEY"),
            "MESSAGING_MODELS_ENDPOINT": f"tcp://127.0.0.1:{free_port()}",
            "MESSAGING_WRITER_ENDPOINT": f"tcp://127.0.0.1:{free_port()}",
            "LEDGER_HEARTBEAT_SECONDS": "1",
        }
        self.env = {name: dict(base, OPS_HOST="127.0.0.1", OPS_PORT=str(self.ops[name])) for name in SERVICES}
        if ingest_secret is not None:
            self.env["ingest"]["AWS_SECRET_ACCESS_KEY"] = ingest_secret
        self.api_port = free_port() if (BIN / "adrecs-api").exists() else None

    def run_tool(self, *args: str, env: dict) -> str:
        result = subprocess.run([str(BIN / "adrecs-ingest"), *args], env=env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(f"adrecs-ingest {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
        return result.stdout

    def spawn(self, name: str, env: dict, health: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        process = subprocess.Popen([str(BIN / f"adrecs-{name}"), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.processes[name] = process
        deadline = time.monotonic() + 60
        while http_status(health) != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"adrecs-{name} did not become healthy (exit {process.poll()}): {self.log(name)[-3000:]}")
            time.sleep(0.2)

    def start(self) -> None:
        for name in SERVICES:
            if not (BIN / f"adrecs-{name}").exists():
                pytest.fail(f"{BIN}/adrecs-{name} is not built (swift build)")
        self.run_tool("migrate", env=self.env["writer"])
        for name in SERVICES:
            self.spawn(name, self.env[name], f"http://127.0.0.1:{self.ops[name]}/health")
        if self.api_port is not None:
            env = {"PATH": self.env["writer"]["PATH"], "DB_URL": required_env("DB_URL"), "DB_SCHEMA": self.schema,
                   "PORT": str(self.api_port), "HTTP_HOST": "127.0.0.1", "LOG_LEVEL": "info"}
            self.spawn("api", env, f"http://127.0.0.1:{self.api_port}/health")

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def airflow_connections(self, monkeypatch) -> None:
        monkeypatch.setenv("AIRFLOW_CONN_ADRECS_INGEST", json.dumps(
            {"conn_type": "http", "host": "127.0.0.1", "port": self.ops["ingest"], "schema": "http"}))
        params = db_params()
        extra = {"db_schema": self.schema}
        if "sslmode" in params:
            extra["sslmode"] = params["sslmode"]
        conn = {"conn_type": "postgres", "host": params["host"], "port": params["port"], "login": params["user"],
                "schema": params["dbname"], "extra": extra}
        if "password" in params:
            conn["password"] = params["password"]
        monkeypatch.setenv("AIRFLOW_CONN_ADRECS_DB", json.dumps(conn))
        if self.api_port is not None:
            monkeypatch.setenv("AIRFLOW_CONN_ADRECS_API", json.dumps(
                {"conn_type": "http", "host": "127.0.0.1", "port": self.api_port, "schema": "http"}))
        else:
            monkeypatch.delenv("AIRFLOW_CONN_ADRECS_API", raising=False)


@pytest.fixture(scope="module")
def raw_uploaded(tmp_path_factory):
    """Uploads the course raw files to BUCKET (raw/advertiser_ids, raw/product_views, raw/ads_views)."""
    if not (COURSE / "expected.csv").exists():
        pytest.fail(f"course data not found at {COURSE} (set ADRECS_COURSE_DATA)")
    chain = Chain(tmp_path_factory.mktemp("upload"), "unused")
    if not (BIN / "adrecs-ingest").exists():
        pytest.fail(f"{BIN}/adrecs-ingest is not built (swift build)")
    keys = chain.run_tool("upload-raw", "--input", str(COURSE), env=chain.env["ingest"]).split()
    assert sorted(keys) == ["raw/ads_views", "raw/advertiser_ids", "raw/product_views"]
    return keys


@pytest.fixture
def chain_factory(tmp_path, raw_uploaded, monkeypatch):
    chains: list[Chain] = []

    def make(ingest_secret: str | None = None) -> Chain:
        schema = f"airflow_it_{os.getpid()}_{next(SCHEMA_NUMBERS)}"
        chain = Chain(tmp_path, schema, ingest_secret)
        chains.append(chain)
        drop_schema(schema)
        chain.start()
        chain.airflow_connections(monkeypatch)
        return chain

    yield make
    for chain in chains:
        chain.stop()
        drop_schema(chain.schema)


def drop_schema(schema: str) -> None:
    with psycopg2.connect(**db_params()) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    connection.close()


def query(schema: str, text: str, args: tuple = ()) -> list[tuple]:
    with psycopg2.connect(**db_params()) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL(text).format(schema=sql.Identifier(schema)), args)
        rows = cursor.fetchall()
    connection.close()
    return rows


def expected_rows(day: str) -> dict:
    def number(text, kind):
        return kind(text) if text != "" else None

    rows = {}
    with open(COURSE / "expected.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["date"] == day:
                rows[(r["advertiser_id"], r["model"], int(r["rank"]))] = (
                    r["product_id"], number(r["views"], int), number(r["impressions"], int),
                    number(r["clicks"], int), number(r["ctr"], float))
    return rows


def stored_rows(schema: str, day: str) -> dict:
    rows = query(schema, "SELECT advertiser_id, model, rank, product_id, views, impressions, clicks, ctr "
                         "FROM {schema}.recommendations WHERE date = %s", (day,))
    return {(a, m, r): (p, v, i, c, ctr) for a, m, r, p, v, i, c, ctr in rows}


def assert_same_rows(stored: dict, expected: dict) -> None:
    assert len(expected) > 0
    assert stored.keys() == expected.keys()
    for key, want in expected.items():
        got = stored[key]
        assert got[:4] == want[:4], key
        if want[4] is None:
            assert got[4] is None, key
        else:
            assert got[4] is not None and math.isclose(got[4], want[4], rel_tol=0, abs_tol=1e-12), (key, got[4], want[4])


def run_dag(logical_date: str, conf: dict | None = None):
    """One dag.test() in its own process (Tests/airflow/dagtest_runner.py) with this environment
    (the AIRFLOW_CONN_* of the chain): returns its state, task states and tries, each task's log
    and the whole output."""
    args = [sys.executable, str(Path(__file__).with_name("dagtest_runner.py")), logical_date]
    if conf is not None:
        args.append(json.dumps(conf))
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent)
    text = result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert result.returncode == 0 and lines, f"dag.test process failed ({result.returncode}): {text[-5000:]}"
    outcome = json.loads(lines[-1][len("RESULT "):])
    states = {task: (state.split(".")[-1].lower() if state else None) for task, (state, _) in outcome["tasks"].items()}
    tries = {task: tries for task, (_, tries) in outcome["tasks"].items()}
    logs: dict[str, str] = {}
    for part in text.split("[DAG TEST] starting task_id=")[1:]:
        task_id = part.split()[0]
        logs[task_id] = logs.get(task_id, "") + part
    return outcome["state"], states, tries, logs, text


ALL_TASKS = ("kick", "wait_ingest", "wait_models", "wait_writer", "check_served")


def test_nightly_run_commits_the_expected_day_and_a_rerun_kicks_a_new_run(chain_factory):
    chain = chain_factory()
    expected = expected_rows(DAY)
    run_ids = []
    for _ in range(2):  # the second dag.test is a rerun of the same logical date
        run_state, states, _, logs, text = run_dag(LOGICAL_DATE)
        assert states == {t: "success" for t in ALL_TASKS}, (states, text[-5000:], chain.log("ingest")[-2000:])
        assert run_state.split(".")[-1].lower() == "success"
        committed = query(chain.schema, "SELECT run_id, recommendation_rows FROM {schema}.committed_days WHERE date = %s", (DAY,))
        assert len(committed) == 1 and committed[0][1] == len(expected)
        run_ids.append(committed[0][0])
        assert run_ids[-1].startswith(DAY + "T")
        assert f"Kicked run {run_ids[-1]} for {DAY}" in logs["kick"]
        assert f"committed by {run_ids[-1]}" in logs["check_served"]
        if chain.api_port is not None:
            assert "API serves" in logs["check_served"]
            assert f"Checked in PostgreSQL and the API: {DAY} is in the API's window" in logs["check_served"]
        ledger = query(chain.schema, "SELECT state FROM {schema}.run_stages WHERE run_id = %s ORDER BY stage", (run_ids[-1],))
        assert ledger == [("succeeded",)] * 3
        assert_same_rows(stored_rows(chain.schema, DAY), expected)
    assert run_ids[0] != run_ids[1]
    # Only DAY was written.
    assert query(chain.schema, "SELECT DISTINCT date::text FROM {schema}.recommendations") == [(DAY,)]


def test_wrong_s3_secret_fails_wait_ingest_with_the_s3_error(chain_factory):
    chain = chain_factory(ingest_secret="wrong-" + required_env("AWS_SECRET_ACCESS_KEY"))
    # A manual run with the date param (and a logical date whose own interval is another day).
    run_state, states, tries, logs, text = run_dag("2024-11-25T04:00:00+00:00", {"date": DAY})
    assert run_state.split(".")[-1].lower() == "failed"
    assert states["kick"] == "success", text[-5000:]
    assert states["wait_ingest"] == "failed", (states, text[-5000:])
    assert states["wait_models"] == states["wait_writer"] == states["check_served"] == "upstream_failed"
    assert "SignatureDoesNotMatch" in logs["wait_ingest"]
    assert "AirflowFailException" in logs["wait_ingest"]
    assert set(logs) == {"kick", "wait_ingest"}, "later tasks must not run"
    # Failed at once: one try, no retries.
    assert tries["wait_ingest"] == 1
    ledger = query(chain.schema, "SELECT r.date::text, s.stage, s.state, coalesce(s.error, '') FROM {schema}.runs r "
                                 "JOIN {schema}.run_stages s USING (run_id) ORDER BY s.stage")
    assert [(d, s, st) for d, s, st, _ in ledger] == [(DAY, "ingest", "failed"), (DAY, "models", "pending"), (DAY, "writer", "pending")]
    assert "SignatureDoesNotMatch" in ledger[0][3]
    assert query(chain.schema, "SELECT count(*) FROM {schema}.committed_days") == [(0,)]


def test_backfill_outside_the_api_window_is_checked_in_postgresql(chain_factory):
    """Seven newer days are committed (DAY's expected rows under later dates), so the API's window
    excludes DAY; a backfill of DAY then checks PostgreSQL only, and succeeds."""
    chain = chain_factory()
    if chain.api_port is None:
        pytest.fail(f"{BIN}/adrecs-api is not built (swift build): this test needs the API")
    expected = expected_rows(DAY)
    newer = [(dt.date.fromisoformat(DAY) + dt.timedelta(days=k)).isoformat() for k in range(1, 8)]
    advertisers = sorted({advertiser for advertiser, _, _ in expected})
    with psycopg2.connect(**db_params()) as connection, connection.cursor() as cursor:
        for day in newer:
            for (advertiser, model, rank), (product, views, impressions, clicks, ctr) in expected.items():
                cursor.execute(sql.SQL("INSERT INTO {}.recommendations VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)").format(
                    sql.Identifier(chain.schema)), (day, advertiser, model, rank, product, views, impressions, clicks, ctr))
            for advertiser in advertisers:
                cursor.execute(sql.SQL("INSERT INTO {}.active_advertisers VALUES (%s, %s)").format(sql.Identifier(chain.schema)),
                               (day, advertiser))
            cursor.execute(sql.SQL("INSERT INTO {}.committed_days (date, run_id, recommendation_rows, advertisers) "
                                   "VALUES (%s, %s, %s, %s)").format(sql.Identifier(chain.schema)),
                           (day, f"{day}T000000-seeded00", len(expected), len(advertisers)))
        cursor.execute("NOTIFY adrecs_days, 'seeded'")
    connection.close()
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{chain.api_port}/stats/", timeout=2) as response:
                held = json.loads(response.read())["dates"]
        except (OSError, ValueError):
            held = []
        if sorted(held) == newer:
            break
        assert time.monotonic() < deadline, f"the API did not load the seeded days: {held}"
        time.sleep(0.2)

    run_state, states, _, logs, text = run_dag("2024-11-30T04:00:00+00:00", {"date": DAY})
    assert states == {t: "success" for t in ALL_TASKS}, (states, text[-5000:])
    assert run_state.split(".")[-1].lower() == "success"
    assert f"Checked in PostgreSQL only: {DAY} is outside the API's window" in logs["check_served"]
    assert "API serves" not in logs["check_served"]
    committed = query(chain.schema, "SELECT recommendation_rows FROM {schema}.committed_days WHERE date = %s", (DAY,))
    assert committed == [(len(expected),)]
    assert_same_rows(stored_rows(chain.schema, DAY), expected)
