#!/usr/bin/env bash
# The api's interactive docs in a real browser (a phase of scripts/test.sh, about 30 s once installed):
#  1. Installs Debian's chromium and chromium-driver when missing (apt), fetches Swagger UI's files
#     (scripts/fetch-swagger-ui.sh: the pinned, hash-checked wheel) and installs selenium into
#     .local/browser/venv from Tests/browser/requirements.lock (exact versions and sha256 hashes,
#     pip --require-hashes), a virtualenv made from Debian's /usr/bin/python3.
#  2. Commits $BROWSER_DATES (default the last day of course-2025) through the real chain (debug
#     ingest, models, writer on free ports) into schema $BROWSER_SCHEMA (default browser) and bucket
#     $BROWSER_BUCKET (default adrecs-browser), then starts the debug adrecs-api over it with
#     API_DOCS_DIR=.local/swagger-ui.
#  3. Tests/browser/docs_page.py drives headless Chromium: / redirects to /docs, Swagger UI renders
#     the three data endpoints, "Try it out" on /recommendations/{advertiser}/{model} with a
#     committed advertiser and TopCTR executes against this server and renders 200 with that
#     advertiser's list; no error in the browser's console (CSP, a missing file). It saves the
#     screenshot .local/browser/docs-screenshot.png for a person to look at.
#  4. Stops what it started, drops the schema and the bucket (BROWSER_KEEP=1 keeps both).
# Needs PostgreSQL and SeaweedFS up with the credentials (scripts/servers.sh start, scripts/env.sh),
# the debug executables in $ADRECS_BIN (default .build/debug) and the course data ($ADRECS_COURSE_DATA).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
source "$ROOT/scripts/env.sh"

BROWSER="$LOCAL/browser"
VENV="$BROWSER/venv"
LOCK="$ROOT/Tests/browser/requirements.lock"
BIN="${ADRECS_BIN:-$ROOT/.build/debug}"
SCHEMA="${BROWSER_SCHEMA:-browser}"
BUCKET="${BROWSER_BUCKET:-adrecs-browser}"
SCREENSHOT="$BROWSER/docs-screenshot.png"
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 "$DB_URL")
mkdir -p "$BROWSER"
[[ $# -eq 0 ]] || die "usage: scripts/test-browser.sh"

# 1. The browser, its driver, Swagger UI and selenium.
missing=()
for p in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || die "Debian's chromium and chromium-driver are not installed"
"$ROOT/scripts/fetch-swagger-ui.sh" "$LOCAL/swagger-ui"
venv_install "$VENV" /usr/bin/python3 "$LOCK" -- --disable-pip-version-check --require-hashes --no-deps -r "$LOCK"
DATA=$(course_dir)
[[ -n ${AWS_ACCESS_KEY_ID:-} ]] || die "AWS_ACCESS_KEY_ID is not set (scripts/s3.sh start writes .local/s3/credentials.env)"

# 2. Committed days, then the api on them with the docs.
export ADRECS_BIN=$BIN API_DOCS_DIR="$LOCAL/swagger-ui"
use_private_services "$BROWSER" "$SCHEMA" "$BUCKET"
trap 'stop_private_services "${BROWSER_KEEP:-}"' EXIT

started=$SECONDS
dates=${BROWSER_DATES:-$(course_dates "$DATA" | tail -n 1)}
log "committing $dates of course-2025 through the chain into schema $SCHEMA, bucket $BUCKET"
serve_committed_days "$DATA" $dates
api=$(service_url api "")
advertiser=$("${PSQL[@]}" -At -c "SELECT advertiser_id FROM $SCHEMA.recommendations WHERE model = 'TopCTR'
                                  ORDER BY advertiser_id LIMIT 1")
[[ -n $advertiser ]] || die "no TopCTR recommendations were committed in schema $SCHEMA"
log "API up at $api (advertiser $advertiser); setup took $((SECONDS - started)) s"

# 3. The page in the browser.
rm -f "$SCREENSHOT" "${SCREENSHOT%.png}-failed.png"
"$VENV/bin/python" "$ROOT/Tests/browser/docs_page.py" "$api" "$advertiser" "$SCREENSHOT" \
  || die "the /docs page failed in the browser (see above; api log $BROWSER/api.log)"
log "browser test passed in $((SECONDS - started)) s; screenshot $SCREENSHOT"
