#!/usr/bin/env bash
# Property-based fuzz run of the public API against its own OpenAPI 3.1 document.
#  1. Installs schemathesis into .local/fuzz/venv from Tests/fuzz/requirements.lock (exact
#     versions and sha256 hashes, pip --require-hashes); reused while the lock is unchanged.
#  2. Fills schema $FUZZ_SCHEMA (default fuzz) of the running PostgreSQL through the real chain:
#     the debug adrecs-ingest, adrecs-models and adrecs-writer on free ports, with their own bucket
#     ($FUZZ_BUCKET, default adrecs-fuzz), commit $FUZZ_DATES (default the last two days of
#     course-2025); then starts the debug adrecs-api on a free port over that schema.
#  3. Validates /openapi.json as OpenAPI 3.1 (openapi-spec-validator), then runs `st run` with every
#     check, positive and negative data (--mode all), every phase but stateful (no links), bounded by
#     $FUZZ_MAX_EXAMPLES per operation and $FUZZ_MAX_SECONDS overall. Tests/fuzz/hooks.py gives the
#     advertisers and dates that exist as examples, so 200 paths are exercised, not only 404s.
#     Tests/fuzz/schemathesis.toml makes schemathesis warnings fail the run too, and the API's
#     /metrics must show 200s on /recommendations, /history and /stats. Any finding fails the run;
#     schemathesis prints a curl command reproducing each one.
#  4. Stops every process it started, drops the schema and the bucket (FUZZ_KEEP=1 keeps
#     both, to reproduce a finding by hand).
# Needs PostgreSQL and SeaweedFS up with the credentials (scripts/servers.sh start, scripts/env.sh),
# the debug executables in $ADRECS_BIN (default .build/debug: run `swift build`), the course data
# ($ADRECS_COURSE_DATA, default ../shared/data). Report files: .local/fuzz/report/.
# Usage: scripts/test-fuzz.sh           run the phase
#        scripts/test-fuzz.sh lock      rewrite Tests/fuzz/requirements.lock from requirements.txt
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"

PYTHON="$SYSTEM_PYTHON"
FUZZ="$LOCAL/fuzz"
VENV="$FUZZ/venv"
REQUIREMENTS="$ROOT/Tests/fuzz/requirements.txt"
LOCK="$ROOT/Tests/fuzz/requirements.lock"
BIN="${ADRECS_BIN:-$ROOT/.build/debug}"
SCHEMA="${FUZZ_SCHEMA:-fuzz}"
BUCKET="${FUZZ_BUCKET:-adrecs-fuzz}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-300}"
MAX_SECONDS="${FUZZ_MAX_SECONDS:-300}"
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 "$DB_URL")
mkdir -p "$FUZZ"

# Writes the lock: every package pip resolves for requirements.txt, with the hash of the file it picked
# (wheels for CPython 3.11 on Linux x86_64, the CI's platform).
lock() {
  [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q --dry-run --ignore-installed --report "$FUZZ/pip-report.json" -r "$REQUIREMENTS"
  "$VENV/bin/python" - "$FUZZ/pip-report.json" "$LOCK" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows = sorted((i["metadata"]["name"].lower(), i["metadata"]["version"], i["download_info"]["archive_info"]["hashes"]["sha256"])
              for i in report["install"])
with open(sys.argv[2], "w") as lock:
    lock.write("# Resolved from Tests/fuzz/requirements.txt by `scripts/test-fuzz.sh lock` (CPython 3.11, Linux x86_64).\n")
    for name, version, digest in rows:
        lock.write(f"{name}=={version} --hash=sha256:{digest}\n")
PY
  log "wrote $LOCK"
}

# Creates or refreshes the venv when the lock or the Python version changed.
install() { venv_install "$VENV" "$PYTHON" "$LOCK" -- --require-hashes --no-deps -r "$LOCK"; }

if [[ ${1:-} == lock ]]; then lock; exit 0; fi
[[ $# -eq 0 ]] || die "usage: scripts/test-fuzz.sh [lock]"

# The four services on free ports of their own, pid files and logs in $FUZZ (scripts/lib.sh).
export ADRECS_BIN=$BIN
use_private_services "$FUZZ" "$SCHEMA" "$BUCKET"
trap 'stop_private_services "${FUZZ_KEEP:-}"' EXIT

run_start=$SECONDS
install
DATA=$(course_dir)
[[ -n ${AWS_ACCESS_KEY_ID:-} ]] || die "AWS_ACCESS_KEY_ID is not set (scripts/s3.sh start writes .local/s3/credentials.env)"

# 2. Real committed days: ingest → models → writer in a schema and bucket of their own.
dates=${FUZZ_DATES:-$(course_dates "$DATA" | tail -n 2 | xargs)}
log "committing $dates of course-2025 through the chain into schema $SCHEMA, bucket $BUCKET"
serve_committed_days "$DATA" $dates
api=$(service_url api "")
FUZZ_DATES=$(echo "$dates" | tr ' ' ',')
FUZZ_ADVERTISERS=$("${PSQL[@]}" -At -c "SELECT string_agg(advertiser_id, ',') FROM (SELECT DISTINCT advertiser_id
                     FROM $SCHEMA.recommendations ORDER BY 1 LIMIT 5) a")
[[ -n $FUZZ_ADVERTISERS ]] || die "no recommendations were committed in schema $SCHEMA"
export FUZZ_DATES FUZZ_ADVERTISERS
log "API up at $api (advertisers $FUZZ_ADVERTISERS; dates $FUZZ_DATES); setup took $((SECONDS - run_start)) s"

# 3. The document, then the fuzz run.
curl -fsS "$api/openapi.json" -o "$FUZZ/openapi.json"
"$VENV/bin/openapi-spec-validator" "$FUZZ/openapi.json" || die "/openapi.json is not a valid OpenAPI 3.1 document"
rm -rf "$FUZZ/report"
fuzz_start=$SECONDS
set +e
# From .local/fuzz: Hypothesis and schemathesis keep their caches (.hypothesis, .schemathesis: earlier
# failures are replayed first) in the working directory.
(cd "$FUZZ" && PYTHONPATH="$ROOT/Tests/fuzz" SCHEMATHESIS_HOOKS=hooks timeout --signal=INT --kill-after=30 "$MAX_SECONDS" \
  "$VENV/bin/st" --no-color --config-file "$ROOT/Tests/fuzz/schemathesis.toml" run "$api/openapi.json" \
    --checks all --mode all --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" --seed "${FUZZ_SEED:-20251219}" --generation-database none \
    --request-timeout 10 --workers 2 \
    --report junit,ndjson --report-dir "$FUZZ/report") 2>&1 | tee "$FUZZ/schemathesis.log"
status=${PIPESTATUS[0]}
set -e
# What the API saw, from its own metrics (non-zero request counters per route and status).
curl -fsS "$api/metrics" | awk '/^adrecs_api_requests_total\{/ && $2 > 0 { sub(/^adrecs_api_requests_total/, "[fuzz] requests"); print }' \
  | sort >"$FUZZ/requests.txt" || true
cat "$FUZZ/requests.txt" >&2
log "schemathesis: exit $status after $((SECONDS - fuzz_start)) s (whole phase $((SECONDS - run_start)) s; log $FUZZ/schemathesis.log)"
[[ $status -ne 124 ]] || die "the fuzz run did not finish within FUZZ_MAX_SECONDS=$MAX_SECONDS s"
if [[ $status -ne 0 ]]; then
  log "to reproduce: FUZZ_KEEP=1 scripts/test-fuzz.sh keeps schema $SCHEMA; then"
  log "  DB_SCHEMA=$SCHEMA PORT=$PORT $BIN/adrecs-api serve   and run the curl commands above"
  die "schemathesis found problems (report $FUZZ/report)"
fi
# The run must have reached real data, not only errors.
for route in recommendations history stats; do
  grep -q "route=\"$route\",status=\"200\"" "$FUZZ/requests.txt" || die "the fuzz run never got a 200 from /$route"
done
