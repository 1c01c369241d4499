#!/usr/bin/env bash
# Smoke test of the release binaries the images ship; scripts/test.sh runs it after the
# chain tests. Needs PostgreSQL and S3 up (scripts/servers.sh start) and the course data.
#   1. builds them as the Dockerfile does (scripts/build-release.sh: -c release --static-swift-stdlib);
#   2. adrecs-ingest, -models, -writer, -api: `--help` exits 0, names every subcommand the
#      sources declare and lists the environment keys with defaults; `--version` names the commit
#      of the checkout (git HEAD, `-dirty` with uncommitted changes); `serve` starts
#      (scripts/services.sh's functions, LOG_FORMAT=json as in the images) on its own ports,
#      ZeroMQ endpoints, schema and bucket, answers /health with the same commit, and logs one
#      JSON object per line, its effective settings with the S3 secret key redacted;
#   3. one real night through them: `adrecs-ingest upload-raw` of the course, `kick --date D --wait`
#      of its first date, then the api's /ready and three requests; then
#      scripts/check_live_metrics.py reads /metrics from all four: every adrecs_* metric that
#      infra/monitoring (Prometheus, Grafana dashboard) names must be in some service's live scrape
#      (with the labels its matchers name), each stage must show a succeeded run, and each service
#      adrecs_build_info{commit=<the commit above>} 1;
#   4. SIGTERM to each: exit status 0 within 10 s.
# Waits are bounded polls with a message; on failure the services' log tails are printed. Its
# services are stopped whatever happens; its schema and bucket are dropped after a pass (after a
# failure they stay for a look, and the next run drops them first).
# Keys: ADRECS_SMOKE_PORT (22000: ops ports of ingest, models, writer, the api's port, then the two
# ZeroMQ endpoints, 22000-22005), ADRECS_SMOKE_SCHEMA (smoke), ADRECS_SMOKE_BUCKET (adrecs-smoke),
# ADRECS_COURSE (course-2025), ADRECS_COURSE_DATA (../shared/data), ADRECS_SMOKE_BIN (a folder of
# binaries already built, e.g. .build/debug, instead of the release build), and scripts/env.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"
started_at=$SECONDS
SERVICES=(ingest models writer api)
COURSE_DIR=$(course_dir)
COURSE=${COURSE_DIR##*/}
"$ROOT/scripts/pg.sh" status >/dev/null 2>&1 || die "PostgreSQL is not running: scripts/servers.sh start"
"$ROOT/scripts/s3.sh" status >/dev/null 2>&1 || die "S3 is not running: scripts/servers.sh start"
PSQL=(/usr/lib/postgresql/15/bin/psql "$DB_URL" -v ON_ERROR_STOP=1 -qtA)
PYTHON=$(check_python)

# The smoke instance: its own ports, ZeroMQ endpoints, schema, bucket and log folder.
base=${ADRECS_SMOKE_PORT:-22000}
for port in $(seq "$base" $((base + 5))); do
  if port_open "$port"; then
    die "port $port is in use: set ADRECS_SMOKE_PORT to the first of 6 free ports"
  fi
done
export ADRECS_INGEST_PORT=$base ADRECS_MODELS_PORT=$((base + 1)) ADRECS_WRITER_PORT=$((base + 2)) PORT=$((base + 3))
export MESSAGING_MODELS_ENDPOINT="tcp://127.0.0.1:$((base + 4))" MESSAGING_WRITER_ENDPOINT="tcp://127.0.0.1:$((base + 5))"
export DB_SCHEMA="${ADRECS_SMOKE_SCHEMA:-smoke}" S3_BUCKET="${ADRECS_SMOKE_BUCKET:-adrecs-smoke}"
export API_RELOAD_SECONDS=2 LOG_LEVEL=info LOG_FORMAT=json
export ADRECS_SERVICES_DIR="$LOCAL/smoke"
rm -rf "$ADRECS_SERVICES_DIR"

build_started=$SECONDS
if [[ -n "${ADRECS_SMOKE_BIN:-}" ]]; then
  ADRECS_BIN=$ADRECS_SMOKE_BIN
  log "smoke-testing the binaries in $ADRECS_BIN (ADRECS_SMOKE_BIN), not a fresh release build"
else
  log "building the release binaries as the Dockerfile does"
  ADRECS_BIN=$("$ROOT/scripts/build-release.sh")
fi
export ADRECS_BIN
build_seconds=$((SECONDS - build_started))
# The commit the binaries must name: the checkout's, as scripts/build-release.sh stamps it; binaries
# from elsewhere (ADRECS_SMOKE_BIN) need only agree with themselves.
if [[ -z "${ADRECS_SMOKE_BIN:-}" ]]; then
  commit=${ADRECS_COMMIT:-$(git rev-parse HEAD)}
  if [[ -z "${ADRECS_COMMIT:-}" ]] && ! git diff --quiet HEAD --; then commit+=-dirty; fi
else
  commit=$("$ADRECS_BIN/adrecs-api" --version | sed -n 's/.*(commit \(.*\))$/\1/p')
fi
source "$ROOT/scripts/services.sh"

# The services' processes (children of this shell, so `wait` gives their exit status).
declare -A PID=()

drop_schema() { PGOPTIONS=--client-min-messages=warning "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS \"$DB_SCHEMA\" CASCADE" >/dev/null; }
cleanup() {
  local status=$?
  if ((status != 0)); then
    for name in "${SERVICES[@]}"; do
      [[ -f "$SERVICES_DIR/$name.log" ]] || continue
      log "the last lines of $name's log ($SERVICES_DIR/$name.log):"
      tail -n 15 "$SERVICES_DIR/$name.log" >&2
    done
  fi
  for name in "${SERVICES[@]}"; do stop_pid "$SERVICES_DIR/$name.pid"; done
  if ((status == 0)); then
    drop_schema 2>/dev/null || log "could not drop schema $DB_SCHEMA"
    drop_bucket "$S3_BUCKET" 2>/dev/null || log "could not delete bucket $S3_BUCKET"
  else
    log "smoke test failed; schema $DB_SCHEMA and bucket $S3_BUCKET are kept for a look (the next run drops them)"
  fi
}
trap cleanup EXIT

log "--help of each binary; the Swift runtime linked statically"
for name in "${SERVICES[@]}"; do
  if ldd "$ADRECS_BIN/adrecs-$name" | grep -q libswiftCore; then
    [[ -n "${ADRECS_SMOKE_BIN:-}" ]] || die "adrecs-$name links libswiftCore dynamically: not built with --static-swift-stdlib"
  fi
  help=$("$ADRECS_BIN/adrecs-$name" --help 2>&1) || die "adrecs-$name --help exited non-zero: $help"
  mapfile -t subcommands < <(grep -ho 'commandName: "[a-z-]*"' "services/$name/Main/"*.swift \
    | sed 's/.*"\(.*\)"/\1/' | grep -vx "adrecs-$name")
  ((${#subcommands[@]})) || die "no subcommand found in services/$name/Main"
  for sub in "${subcommands[@]}"; do
    grep -qE "^  $sub( |$)" <<<"$help" || die "adrecs-$name --help does not name its subcommand $sub:"$'\n'"$help"
  done
  for line in ENVIRONMENT "  LOG_FORMAT=text" "  DB_URL=postgresql://"; do
    grep -qF -- "$line" <<<"$help" || die "adrecs-$name --help does not list '$line' among its environment keys:"$'\n'"$help"
  done
  version=$("$ADRECS_BIN/adrecs-$name" --version) || die "adrecs-$name --version exited non-zero"
  [[ $version == *" (commit $commit)" ]] || die "adrecs-$name --version says '$version', not commit $commit"
done
log "--version of each names commit $commit"

# Every shared library a binary needs comes from the base image or the Dockerfile's runtime packages.
runtime_packages=" $(awk '/^FROM .* AS runtime/ { on = 1; next } /^FROM / { on = 0 } on' Dockerfile \
  | sed -n 's/.*--no-install-recommends \([^\\&]*\).*/\1/p' | tr '\n' ' ') libc6 libstdc++6 libgcc-s1 "
log "shared libraries of each binary vs the image's runtime packages:$runtime_packages"
for name in "${SERVICES[@]}"; do
  while read -r lib; do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !found { print $NF; found = 1 }')
    package=$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null) || die "adrecs-$name needs $lib, which no Debian package provides here"
    package=${package%%:*}
    [[ "$runtime_packages" == *" $package "* ]] || die "adrecs-$name needs $lib from $package, which the Dockerfile's runtime stage does not install"
  done < <(readelf -d "$ADRECS_BIN/adrecs-$name" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
done

log "starting the four services (schema $DB_SCHEMA, bucket $S3_BUCKET, ports $base-$((base + 5)))"
drop_schema
drop_bucket "$S3_BUCKET" 2>/dev/null || true
"$ADRECS_BIN/adrecs-ingest" migrate >"$SERVICES_DIR/migrate.log" 2>&1 \
  || { cat "$SERVICES_DIR/migrate.log" >&2; die "adrecs-ingest migrate failed"; }
for name in writer models ingest api; do
  WAIT_SECONDS=60 start_service "$name" /health
  PID[$name]=$(cat "$SERVICES_DIR/$name.pid")
  health=$(curl -fsS --max-time 10 "$(service_url "$name" /health)")
  [[ $health == *"\"commit\":\"$commit\""* ]] || die "$name's /health names another build: $health (expected commit $commit)"
done
log "checking the JSON log lines and the logged settings (secrets redacted)"
for name in "${SERVICES[@]}"; do
  "$PYTHON" - "$SERVICES_DIR/$name.log" "$commit" "$AWS_SECRET_ACCESS_KEY" <<'PY' || die "$name's log is not as LOG_FORMAT=json promises (see above)"
import json, sys
path, commit, secret = sys.argv[1:]
text = open(path).read()
entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
problems = [f"not JSON: {line}" for line in text.splitlines() if line.strip() and not line.startswith("{")]
start = [e for e in entries if e.get("message") == "Service starting"]
if len(start) != 1:
    problems.append(f"{len(start)} 'Service starting' lines")
else:
    metadata = start[0]["metadata"]
    settings = metadata.get("adrecs.settings", {})
    if metadata.get("adrecs.commit") != commit:
        problems.append(f"start line names commit {metadata.get('adrecs.commit')}, not {commit}")
    if "DB_URL" not in settings or "LOG_FORMAT" not in settings:
        problems.append(f"start line lacks settings: {settings}")
    if "AWS_SECRET_ACCESS_KEY" in settings and settings["AWS_SECRET_ACCESS_KEY"] != "<redacted>":
        problems.append("AWS_SECRET_ACCESS_KEY is not redacted")
if secret and secret in text:
    problems.append("the S3 secret key appears in the log")
for entry in entries:
    if set(entry) != {"timestamp", "level", "message", "metadata"}:
        problems.append(f"unexpected keys: {sorted(entry)}")
        break
for problem in problems:
    print(f"{path}: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
done

date=$(course_dates "$COURSE_DIR" | head -n 1)
log "one night: upload-raw of $COURSE, kick --wait of $date"
"$ADRECS_BIN/adrecs-ingest" upload-raw --input "$COURSE_DIR" >"$SERVICES_DIR/upload-raw.log" 2>&1 \
  || { cat "$SERVICES_DIR/upload-raw.log" >&2; die "upload-raw failed"; }
if ! "$ADRECS_BIN/adrecs-ingest" kick --date "$date" --wait --timeout 300 >"$SERVICES_DIR/kick.log" 2>&1; then
  cat "$SERVICES_DIR/kick.log" >&2
  die "the night of $date did not succeed within 300 s"
fi
WAIT_SECONDS=60 await_service api /ready
adv=$(tail -n +2 "$COURSE_DIR/advertiser_ids" | tr -d '\r' | head -n 1)
for path in "/recommendations/$adv/TopCTR" "/history/$adv/" "/stats/"; do
  code=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$(service_url api "$path")")
  [[ $code == 200 ]] || die "the api answered $code for $path"
done

log "checking the metrics Prometheus and Grafana name against the live /metrics"
targets=()
for name in "${SERVICES[@]}"; do targets+=("$name=$(service_url "$name" /metrics)"); done
positive=()
for name in ingest models writer; do
  positive+=(--positive "$name:adrecs_runs_total{stage=\"$name\",outcome=\"succeeded\"}")
  positive+=(--positive "$name:adrecs_stage_duration_seconds_count{stage=\"$name\"}")
  positive+=(--positive "$name:adrecs_last_success_timestamp_seconds{stage=\"$name\"}")
done
for name in "${SERVICES[@]}"; do positive+=(--positive "$name:adrecs_build_info{commit=\"$commit\"}"); done
positive+=(--positive "api:adrecs_api_snapshot_reloads_total" --positive "api:adrecs_api_requests_total{route=\"recommendations\",status=\"200\"}")
positive+=(--positive "api:adrecs_latest_committed_date_timestamp_seconds")
"$PYTHON" scripts/check_live_metrics.py --save "$SERVICES_DIR" "${positive[@]}" "${targets[@]}" \
  || die "the monitoring files name metrics the running services do not export (see above)"

log "SIGTERM to each: exit 0 within 10 s"
for name in api ingest models writer; do
  pid=${PID[$name]} signalled=$EPOCHREALTIME
  kill -TERM "$pid"
  deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    die "$name (pid $pid) still ran 10 s after SIGTERM"
  fi
  status=0
  wait "$pid" || status=$?
  rm -f "$SERVICES_DIR/$name.pid"
  ((status == 0)) || die "$name exited with status $status after SIGTERM"
  log "$name exited 0, $(awk -v a="$signalled" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s after SIGTERM"
done
log "smoke test passed in $((SECONDS - started_at)) s (release build $build_seconds s)"
