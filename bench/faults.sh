#!/usr/bin/env bash
# Recovery benchmark: the day of bench/chain.sh (10M product_views + 10M ads_views rows, release
# builds) once undisturbed, then once per fault, each ended by the services alone (no second kick):
#   kill-ingest, kill-models, kill-writer  SIGKILL of the stage's process while the ledger shows it
#                                          running, restarted 2 s later;
#   models-down, writer-down               the next stage stopped before the hand-over, started
#                                          20 s after the previous stage succeeded;
#   s3-slowdown                            S3 answers 503 SlowDown to every request for 10 s from the
#                                          run's first (Tests/faultproxy/s3_fault_proxy.py in front
#                                          of the S3 server, the three stages restarted through it);
#   postgres-down                          PostgreSQL stopped for 60 s once the writer runs.
# Printed per fault: recovered yes/no, seconds from the fault to the committed day, the stage's
# attempts in the ledger, and whether the committed rows equal the undisturbed run's.
# Target: every fault recovered, each within LEDGER_STALE_SECONDS + 15 s of the service's restart
# (the bench keeps the documented defaults); the undisturbed chain's time as in bench/chain.sh.
# BENCH_ROWS overrides the row count; BENCH_FAULTS lists the faults to run (default: all).
source "$(dirname "$0")/lib.sh"
ROWS="${BENCH_ROWS:-10000000}"
DATE=2026-11-22
FAULTS=(${BENCH_FAULTS:-kill-ingest kill-models kill-writer models-down writer-down s3-slowdown postgres-down})
generate_day "$ROWS"

scripts/setup.sh
scripts/servers.sh start
ROOT=$PWD source scripts/env.sh
start_chain_services

PSQL=(/usr/lib/postgresql/15/bin/psql "$DB_URL" -At -F ' ')
sql() { "${PSQL[@]}" -c "$1" 2>/dev/null; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
stage_state() { sql "SELECT state FROM run_stages WHERE run_id = '$1' AND stage = '$2'"; }
run_state() { sql "SELECT state FROM runs WHERE run_id = '$1'"; }
# A digest of the committed day, to compare runs.
day_digest() {
  sql "SELECT md5(string_agg(concat_ws(',', advertiser_id, model, rank, product_id, views, impressions, clicks, ctr), E'\n'
       ORDER BY advertiser_id, model, rank)) FROM recommendations WHERE date = '$DATE'"
}
# Kicks the day (through the ledger, as Airflow's POST /runs does) and prints the run id.
kick() {
  "$BIN/adrecs-ingest" kick --date "$DATE" >/dev/null
  sql "SELECT run_id FROM runs WHERE date = '$DATE' ORDER BY created_at DESC LIMIT 1"
}
# Waits (up to $2 s, polling every 20 ms) until stage $3 of run $1 is in state $4.
wait_stage() {
  local deadline=$((SECONDS + $2))
  until [[ "$(stage_state "$1" "$3")" == "$4" ]]; do ((SECONDS < deadline)) || return 1; sleep 0.02; done
}
# Waits (up to $2 s) until run $1 has finished; prints its state.
wait_run() {
  local deadline=$((SECONDS + $2)) state
  while state=$(run_state "$1"); [[ $state != succeeded && $state != failed ]]; do
    ((SECONDS < deadline)) || { echo "$state"; return 0; }
    sleep 0.2
  done
  echo "$state"
}

echo "== undisturbed run"
start=$(now)
run=$(kick)
[[ $(wait_run "$run" 1800) == succeeded ]] || die "the undisturbed run failed: $(sql "SELECT error FROM runs WHERE run_id = '$run'")"
baseline_seconds=$(elapsed "$start" "$(now)")
baseline=$(day_digest)

results=()
for fault in "${FAULTS[@]}"; do
  echo "== fault: $fault"
  # The next stage is down before the kick, so it is down at hand-over time.
  case "$fault" in models-down | writer-down) scripts/services.sh stop "${fault%-down}" >/dev/null ;; esac
  if [[ $fault == s3-slowdown ]]; then
    scripts/services.sh stop ingest models writer
    "$SYSTEM_PYTHON" Tests/faultproxy/s3_fault_proxy.py --upstream "127.0.0.1:$ADRECS_S3_PORT" --slowdown-seconds 10 >"$WORK/proxy.log" 2>&1 &
    proxy=$!
    until port=$(awk '/^listening/ { print $2 }' "$WORK/proxy.log") && [[ -n $port ]]; do sleep 0.1; done
    S3_ENDPOINT="http://127.0.0.1:$port" scripts/services.sh start ingest models writer
  fi
  run=$(kick)
  stage=""
  case "$fault" in
    kill-*)
      stage=${fault#kill-}
      wait_stage "$run" 600 "$stage" running || { results+=("$fault no - - $stage-never-ran"); continue; }
      fault_at=$(now)
      kill -KILL "$(cat .local/services/$stage.pid)"
      sleep 2
      rm -f ".local/services/$stage.pid"
      scripts/services.sh start "$stage" >/dev/null
      ;;
    s3-slowdown)
      stage=ingest
      fault_at=$(now)
      ;;
    *-down)
      stage=${fault%-down}
      if [[ $stage == postgres ]]; then
        stage=writer
        wait_stage "$run" 600 writer running || { results+=("$fault no - - writer-never-ran"); continue; }
        fault_at=$(now)
        scripts/pg.sh stop >/dev/null
        sleep 60
        scripts/pg.sh start >/dev/null
      else
        previous=$([[ $stage == models ]] && echo ingest || echo models)
        wait_stage "$run" 600 "$previous" succeeded || { results+=("$fault no - - $previous-failed"); continue; }
        fault_at=$(now)
        sleep 20
        scripts/services.sh start "$stage" >/dev/null
      fi
      ;;
  esac
  state=$(wait_run "$run" 600)
  seconds=$(elapsed "$fault_at" "$(now)")
  attempts=$(sql "SELECT attempts FROM run_stages WHERE run_id = '$run' AND stage = '$stage'")
  same=$([[ $state == succeeded && $(day_digest) == "$baseline" ]] && echo yes || echo no)
  if [[ $fault == s3-slowdown ]]; then
    kill "$proxy"
    scripts/services.sh stop ingest models writer
    scripts/services.sh start ingest models writer
  fi
  results+=("$fault $([[ $state == succeeded ]] && echo yes || echo no) $seconds $attempts $same")
done

echo "== results ($((2 * ROWS)) log rows; undisturbed chain ${baseline_seconds} s)"
printf '%-14s %-10s %-24s %-9s %s\n' fault recovered "fault → committed (s)" attempts "rows = undisturbed"
for line in "${results[@]}"; do
  read -r name recovered seconds attempts same <<<"$line"
  printf '%-14s %-10s %-24s %-9s %s\n' "$name" "$recovered" "$seconds" "$attempts" "$same"
done
