#!/usr/bin/env bash
# Sets everything up and runs every test: builds with warnings checked, starts the servers,
# runs the Swift suites against them, smoke-tests the release binaries (scripts/smoke.sh), runs the
# Airflow tests and the static checks, runs setup and one night as on a stock Debian box
# (scripts/test-stock.sh), and stops the servers it started.
# Usage: scripts/test.sh [extra `swift test` arguments, e.g. --filter LibPQTests]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

started=()
cleanup() { for s in "${started[@]}"; do "$ROOT/scripts/$s.sh" stop || true; done; }
trap cleanup EXIT
"$ROOT/scripts/pg.sh" status >/dev/null 2>&1 || started+=(pg)
"$ROOT/scripts/s3.sh" status >/dev/null 2>&1 || started+=(s3)
"$ROOT/scripts/servers.sh" start
source "$ROOT/scripts/env.sh"

export ADRECS_COURSE_DATA="${ADRECS_COURSE_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}"
[[ -d "$ADRECS_COURSE_DATA/course-2024" ]] || die "course data not found at $ADRECS_COURSE_DATA (set ADRECS_COURSE_DATA)"

log "building (warnings are errors for the project's own code)"
build_log="$LOCAL/build.log"
if ! swift build --build-tests >"$build_log" 2>&1; then
  grep -E "error:" "$build_log" >&2 || tail -n 40 "$build_log" >&2
  die "build failed (full log: $build_log)"
fi
if grep -E "^/.*: (warning|error):" "$build_log" | grep -v "/.build/checkouts/" | grep -q .; then
  grep -E "^/.*: (warning|error):" "$build_log" | grep -v "/.build/checkouts/" >&2
  die "the build has warnings (full log: $build_log)"
fi

# Three runs: the libraries' and services' suites in parallel; then, alone, the API's live test
# that measures in real time how soon a commit is served (2 s; with the other suites in parallel
# on 2 cores it measures the machine's load) and the stage runtime's starvation test (it holds
# every cooperative thread for 3 s, which would stall the other suites); then the chain's suites,
# which start the real executables and run one after another. Extra arguments make it one run with them.
run_tests() {
  local name=$1; shift
  log "running the Swift test suites: $name"
  set +e
  swift test --skip-build "$@" 2>&1 | tee "$LOCAL/test-$name.log" | grep -v -E " started\.$"
  local status=${PIPESTATUS[0]}
  set -e
  [[ $status -eq 0 ]] || { log "swift test ($name) failed (full log: $LOCAL/test-$name.log)"; failed_logs+=("$LOCAL/test-$name.log"); failed_phases+=("$name (exit $status)"); }
  return "$status"
}
# A failing run ends with its failed tests and issues, so the end of the output (all a CI page may
# show) names them.
failed_logs=()
failed_phases=()
summarize() {
  ((${#failed_phases[@]})) || return 0
  if ((${#failed_logs[@]})); then
    log "failed tests and their issues:"
    grep -h -E "^(✘|↳)" "${failed_logs[@]}" | grep -v -E "^✘ Test run with|^↳ (Testing Library|Target Platform)" | head -n 60 >&2 || true
  fi
  # A test process killed by a signal prints no ✘ line: the phase names say where it happened.
  log "FAILED phases: ${failed_phases[*]}"
}
# Runs one scripted phase: "$1" names it, the rest is the command; a failure is recorded by name.
run_phase() {
  local name=$1; shift
  "$@" || { failed_phases+=("$name"); return 1; }
}
status=0
if (($#)); then
  run_tests selected "$@" || status=1
else
  run_tests units --skip IntegrationTests --skip LiveDatabaseTests --skip StageRuntimeStarvationTests || status=1
  run_tests live --filter "LiveDatabaseTests|StageRuntimeStarvationTests" || status=1
  run_tests chain --filter IntegrationTests || status=1
  log "running the API fuzz run (schemathesis)"
  run_phase fuzz "$ROOT/scripts/test-fuzz.sh" || status=1
  log "running the browser test of /docs (headless Chromium)"
  run_phase browser "$ROOT/scripts/test-browser.sh" || status=1
  log "smoke-testing the release binaries (built as the Dockerfile does; one night; live /metrics; SIGTERM)"
  run_phase smoke "$ROOT/scripts/smoke.sh" || status=1
  log "running the Airflow tests"
  run_phase airflow "$ROOT/scripts/test-airflow.sh" || status=1
  log "running the DAG under Airflow's real scheduler (a trigger and a backfill, as dags/README.md documents)"
  run_phase airflow-scheduler "$ROOT/scripts/test-airflow-scheduler.sh" || status=1
  log "checking compose.yaml, the Dockerfile, infra/ and the dashboards statically"
  run_phase static "$ROOT/scripts/check-static.sh" || status=1
  log "the stock phase: setup and one night with only Debian's Python on PATH (scripts/test-stock.sh)"
  run_phase stock "$ROOT/scripts/test-stock.sh" || status=1
fi
summarize
exit "$status"
