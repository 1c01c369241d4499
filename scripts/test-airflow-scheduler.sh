#!/usr/bin/env bash
# The DAG under the real scheduler, started as dags/README.md documents it (scripts/test.sh runs
# this after scripts/test-airflow.sh, whose dag.test() runs never start a scheduler):
#   1. the four services (scripts/services.sh's functions; the release binaries of
#      scripts/build-release.sh, or $ADRECS_BIN) on their own ports, ZeroMQ endpoints, schema and
#      bucket; `adrecs-ingest upload-raw` of the demo data;
#   2. `scripts/airflow.sh start` with its own metadata database, home and port, and with the
#      script's default connections (every AIRFLOW_CONN_ADRECS_* is unset first, so they are what
#      is tested); then `eval "$(scripts/airflow.sh env)"` and the documented CLI commands;
#   3. `airflow dags trigger adrecs_nightly -c '{"date": D}'` for the 4th date D of the data: the
#      DAG run must succeed (polled on the REST API, at most 300 s), its check_served having asked
#      both PostgreSQL and the API;
#   4. the documented `airflow backfill create … --max-active-runs 1` over the three older dates:
#      three backfill runs, each succeeded, and committed_days holds exactly the four dates, the
#      backfilled ones committed oldest first;
#   5. a trigger of the day before the data's first: that DAG run fails, and its failed task's
#      alert (dags/README.md, "Failure alerts") reaches a local HTTP receiver through the
#      connection adrecs_alerts, naming the DAG, that run and that task.
# Cron scheduling is off (AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=False): unpausing would otherwise
# run the latest interval (yesterday), a day the demo data does not hold. Sensors poke every 2 s.
# Everything it started is stopped whatever happens; after a pass its schema, bucket and metadata
# database are dropped (after a failure they stay for a look; the next run drops them first).
# Keys: ADRECS_AIRFLOW_IT_PORT (22100: ops ports of ingest, models, writer, the api's port, the two
# ZeroMQ endpoints, Airflow's api-server, the alert receiver: 22100-22107), ADRECS_COURSE (course-2025),
# ADRECS_COURSE_DATA (../shared/data), ADRECS_BIN, and scripts/env.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"
started_at=$SECONDS
SERVICES=(ingest models writer api)
COURSE_DIR=$(course_dir)
COURSE=${COURSE_DIR##*/}
PGBIN=/usr/lib/postgresql/15/bin
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$ADRECS_PG_PORT" || die "PostgreSQL is not running: scripts/servers.sh start"
curl -s -o /dev/null --max-time 5 "$S3_ENDPOINT" || die "S3 is not running at $S3_ENDPOINT: scripts/servers.sh start"
PSQL=("$PGBIN/psql" "$DB_URL" -v ON_ERROR_STOP=1 -qtA)
IT="$LOCAL/airflow-it"
DAG=adrecs_nightly

base=${ADRECS_AIRFLOW_IT_PORT:-22100}
for port in $(seq "$base" $((base + 7))); do
  port_open "$port" && die "port $port is in use: set ADRECS_AIRFLOW_IT_PORT to the first of 8 free ports"
done
export ADRECS_INGEST_PORT=$base ADRECS_MODELS_PORT=$((base + 1)) ADRECS_WRITER_PORT=$((base + 2)) PORT=$((base + 3))
export MESSAGING_MODELS_ENDPOINT="tcp://127.0.0.1:$((base + 4))" MESSAGING_WRITER_ENDPOINT="tcp://127.0.0.1:$((base + 5))"
export DB_SCHEMA=airflow_it S3_BUCKET=adrecs-airflow-sched API_RELOAD_SECONDS=2 LOG_LEVEL=info
export ADRECS_SERVICES_DIR="$IT/services"
export ADRECS_AIRFLOW_PORT=$((base + 6)) ADRECS_AIRFLOW_HOME="$IT/airflow" ADRECS_AIRFLOW_DB=airflow_it
export AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=False
export AIRFLOW_VAR_ADRECS_POKE_SECONDS=2 AIRFLOW_VAR_ADRECS_RETRY_DELAY_SECONDS=5
unset AIRFLOW_CONN_ADRECS_INGEST AIRFLOW_CONN_ADRECS_DB AIRFLOW_CONN_ADRECS_API
# adrecs_alerts has no default: the receiver started below.
export AIRFLOW_CONN_ADRECS_ALERTS="{\"conn_type\":\"http\",\"host\":\"http://127.0.0.1:$((base + 7))/alerts\"}"
AF="http://127.0.0.1:$ADRECS_AIRFLOW_PORT/api/v2"

mapfile -t dates < <(course_dates "$COURSE_DIR")
((${#dates[@]} >= 4)) || die "$COURSE has ${#dates[@]} dates; this test needs 4"
day=${dates[3]} older=("${dates[@]:0:3}") missing=$(date -u -d "${dates[0]} - 1 day" +%F)

if [[ -z "${ADRECS_BIN:-}" ]]; then
  log "the release binaries (scripts/build-release.sh)"
  ADRECS_BIN=$("$ROOT/scripts/build-release.sh")
fi
export ADRECS_BIN
source "$ROOT/scripts/services.sh"

drop_all() {
  PGOPTIONS=--client-min-messages=warning "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS \"$DB_SCHEMA\" CASCADE" >/dev/null
  PGOPTIONS=--client-min-messages=warning "$PGBIN/dropdb" --if-exists --force -h 127.0.0.1 -p "$ADRECS_PG_PORT" -U adrecs "$ADRECS_AIRFLOW_DB"
  drop_bucket "$S3_BUCKET" 2>/dev/null || true
}
cleanup() {
  local status=$?
  "$ROOT/scripts/airflow.sh" stop || true
  if ((status != 0)); then
    for file in "${SERVICES[@]/#/$SERVICES_DIR/}"; do
      [[ -f "$file.log" ]] || continue
      log "the last lines of $file.log:"
      tail -n 10 "$file.log" >&2
    done
    log "Airflow's logs: $ADRECS_AIRFLOW_HOME/*.log and $ADRECS_AIRFLOW_HOME/logs/ (task logs)"
  fi
  for name in "${SERVICES[@]}"; do stop_pid "$SERVICES_DIR/$name.pid"; done
  stop_pid "$IT/receiver.pid"
  if ((status == 0)); then
    drop_all || log "could not drop schema $DB_SCHEMA, database $ADRECS_AIRFLOW_DB or bucket $S3_BUCKET"
    rm -rf "$IT"
  else
    log "failed; schema $DB_SCHEMA, database $ADRECS_AIRFLOW_DB and bucket $S3_BUCKET are kept for a look (the next run drops them)"
  fi
}
trap cleanup EXIT

log "the services on ports $base-$((base + 5)) (schema $DB_SCHEMA, bucket $S3_BUCKET), $COURSE uploaded"
"$ROOT/scripts/airflow.sh" stop >/dev/null 2>&1 || true
drop_all
rm -rf "$IT"
mkdir -p "$SERVICES_DIR"
"$ADRECS_BIN/adrecs-ingest" migrate >"$SERVICES_DIR/migrate.log" 2>&1 \
  || { cat "$SERVICES_DIR/migrate.log" >&2; die "adrecs-ingest migrate failed"; }
for name in writer models ingest api; do WAIT_SECONDS=60 start_service "$name" /health; done
"$ADRECS_BIN/adrecs-ingest" upload-raw --input "$COURSE_DIR" >"$SERVICES_DIR/upload-raw.log" 2>&1 \
  || { cat "$SERVICES_DIR/upload-raw.log" >&2; die "upload-raw failed"; }

# The alert receiver: appends each POST's body as one line to $IT/alerts.jsonl.
"$LOCAL/airflow-venv/bin/python" -c '
import http.server, sys
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with open(sys.argv[2], "ab") as alerts:
            alerts.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
' $((base + 7)) "$IT/alerts.jsonl" >"$IT/receiver.log" 2>&1 &
echo $! >"$IT/receiver.pid"
wait_for port_open $((base + 7)) || die "the alert receiver did not start (log: $IT/receiver.log)"

log "Airflow as documented: scripts/airflow.sh start (api-server on $ADRECS_AIRFLOW_PORT, metadata database $ADRECS_AIRFLOW_DB)"
"$ROOT/scripts/airflow.sh" start
eval "$("$ROOT/scripts/airflow.sh" env 2>/dev/null)"
[[ "$(command -v airflow)" == "$LOCAL/airflow-venv/bin/airflow" ]] \
  || die "eval \"\$(scripts/airflow.sh env)\" did not put the venv's airflow on PATH (found: $(command -v airflow || echo none))"
PY="$LOCAL/airflow-venv/bin/python"

# GET of the REST API path $1 (the local api-server lets everyone in as admin).
api() { curl -fsS --max-time 20 "$AF$1"; }
# Prints "run_id state" for each DAG run of type $1 (manual, backfill), oldest logical date first.
runs() {
  api "/dags/$DAG/dagRuns?run_type=$1&order_by=logical_date&limit=100" | "$PY" -c '
import json, sys
for run in json.load(sys.stdin)["dag_runs"]:
    print(run["dag_run_id"], run["state"], run.get("logical_date") or "-", (run.get("conf") or {}).get("date", "-"))'
}
# Prints each task's state of DAG run $1, and the end of the failed tasks' logs.
explain() {
  api "/dags/$DAG/dagRuns/$1/taskInstances" | "$PY" -c '
import json, sys
for ti in json.load(sys.stdin)["task_instances"]:
    print(f"  {ti[\"task_id\"]}: {ti[\"state\"]} (try {ti[\"try_number\"]})")' >&2 || true
  local file
  for file in "$ADRECS_AIRFLOW_HOME"/logs/dag_id="$DAG"/run_id="$1"/task_id=*/attempt=*.log; do
    [[ -f "$file" ]] && grep -q -E '"level": ?"error"|ERROR' "$file" || continue
    log "the end of ${file#"$ADRECS_AIRFLOW_HOME/"}:"
    tail -n 15 "$file" >&2
  done
}
# Waits until $1 runs of type $2 exist and all succeeded, for at most $3 s; fails at the first failed one.
await_runs() {
  local want=$1 type=$2 deadline=$((SECONDS + $3)) lines
  while true; do
    lines=$(runs "$type" 2>/dev/null) || lines=""
    if grep -q " failed " <<<"$lines"; then
      log "a $type DAG run failed:"$'\n'"$lines"
      explain "$(awk '$2 == "failed" { print $1; exit }' <<<"$lines")"
      die "the $type DAG run failed"
    fi
    if [[ -n $lines ]] && (($(wc -l <<<"$lines") == want)) && ! grep -qv " success " <<<"$lines"; then
      printf '%s\n' "$lines"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log "after $3 s the $type DAG runs are:"$'\n'"${lines:-none}"
      [[ -z $lines ]] || explain "$(awk '$2 != "success" { print $1; exit }' <<<"$lines")"
      die "$want $type DAG run(s) did not succeed within $3 s"
    fi
    sleep 3
  done
}

log "waiting for the dag-processor to parse $DAG"
WAIT_SECONDS=120 wait_for api "/dags/$DAG" || die "$DAG was not parsed within 120 s (log: $ADRECS_AIRFLOW_HOME/dag-processor.log)"
airflow dags unpause "$DAG" >/dev/null 2>&1 || die "airflow dags unpause $DAG failed"

log "airflow dags trigger $DAG -c '{\"date\":\"$day\"}'"
airflow dags trigger "$DAG" -c "{\"date\":\"$day\"}" >"$IT/trigger.log" 2>&1 || { cat "$IT/trigger.log" >&2; die "airflow dags trigger failed"; }
manual=$(await_runs 1 manual 300)
manual_run=${manual%% *}
log "succeeded: $manual"
grep -q "Checked in PostgreSQL and the API" \
    "$ADRECS_AIRFLOW_HOME/logs/dag_id=$DAG/run_id=$manual_run/task_id=check_served/"attempt=*.log \
  || die "check_served of $manual_run did not check the API (the adrecs_api connection's default)"

log "airflow backfill create --dag-id $DAG --from-date ${older[0]} --to-date ${older[2]}T04:00:00+00:00 --max-active-runs 1"
airflow backfill create --dag-id "$DAG" --from-date "${older[0]}" --to-date "${older[2]}T04:00:00+00:00" \
  --max-active-runs 1 >"$IT/backfill.log" 2>&1 || { cat "$IT/backfill.log" >&2; die "airflow backfill create failed"; }
backfill=$(await_runs 3 backfill 600)
log "succeeded:"$'\n'"$backfill"
mapfile -t logical < <(awk '{ print substr($3, 1, 10) }' <<<"$backfill")
[[ "${logical[*]}" == "${older[*]}" ]] || die "the backfill ran logical dates ${logical[*]}, expected ${older[*]}"

# Each run's check_served checked its own day; the ledger's view of all four, in commit order.
committed=$("${PSQL[@]}" -c "SELECT string_agg(date::text, ' ' ORDER BY committed_at) FROM \"$DB_SCHEMA\".committed_days")
[[ "$committed" == "$day ${older[*]}" ]] \
  || die "committed_days in commit order is '$committed', expected '$day ${older[*]}'"

log "airflow dags trigger $DAG -c '{\"date\":\"$missing\"}' (a day the data lacks): the run fails and alerts"
[[ ! -s "$IT/alerts.jsonl" ]] || die "an alert arrived before any run failed: $(cat "$IT/alerts.jsonl")"
airflow dags trigger "$DAG" -c "{\"date\":\"$missing\"}" >"$IT/trigger-missing.log" 2>&1 \
  || { cat "$IT/trigger-missing.log" >&2; die "airflow dags trigger failed"; }
failed_run="" deadline=$((SECONDS + 300))
until [[ -n $failed_run ]]; do
  failed_run=$(runs manual 2>/dev/null | awk -v d="$missing" '$4 == d && $2 == "failed" { print $1 }') || true
  if [[ -z $failed_run ]]; then
    ((SECONDS < deadline)) || { runs manual >&2 || true; die "the DAG run of $missing did not fail within 300 s"; }
    sleep 3
  fi
done
# The run is failed once its last task is; the alert is sent by the failed task's own callback.
WAIT_SECONDS=30 wait_for test -s "$IT/alerts.jsonl" || die "no alert reached the receiver within 30 s of $failed_run failing"
failed_task=$(api "/dags/$DAG/dagRuns/$failed_run/taskInstances" | "$PY" -c '
import json, sys
print(" ".join(ti["task_id"] for ti in json.load(sys.stdin)["task_instances"] if ti["state"] == "failed"))')
alert=$(cat "$IT/alerts.jsonl")
"$PY" - "$alert" "$failed_run" "$failed_task" "$missing" <<'PY' || die "the alert does not name the failed run and task: $alert"
import json, sys
alerts, run_id, task_id, date = sys.argv[1].splitlines(), *sys.argv[2:]
assert len(alerts) == 1, f"{len(alerts)} alerts"
alert = json.loads(alerts[0])
expected = {"event": "task_failed", "dag_id": "adrecs_nightly", "run_id": run_id, "task_id": task_id, "date": date}
assert {key: alert.get(key) for key in expected} == expected, (alert, expected)
assert alert["error"] and task_id in alert["text"], alert
PY
log "alerted: $failed_task of $failed_run failed: $("$PY" -c 'import json, sys; print(json.loads(sys.argv[1])["error"][:200])' "$alert")"
log "the scheduler ran the trigger, the backfill and a failing run: $committed committed, one alert, in $((SECONDS - started_at)) s"
