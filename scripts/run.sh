#!/usr/bin/env bash
# The main job on one machine: sets everything up, starts PostgreSQL, SeaweedFS and the services,
# uploads the demo data to S3 as raw input, kicks every date in order through the nightly chain
# (ingest → models → writer), printing `date n of N: <date> <outcome>` as each one ends, prints the
# ledger's outcome per date, then starts the public API on the data it just computed and prints
# three example requests.
# The demo data: the course's course-2025 logs (../shared/data) when present, otherwise the
# repository's own sample in the same format and on the same dates (scripts/sample-data.py --seed 1,
# generated into .local/sample-data).
# Keys: ADRECS_COURSE (course-2025), ADRECS_COURSE_DATA (../shared/data; set, it must exist), and
# those of scripts/env.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/servers.sh" start
source "$ROOT/scripts/env.sh"
COURSE="${ADRECS_COURSE:-course-2025}"
if [[ -n "${ADRECS_COURSE_DATA:-}" ]]; then
  INPUT="$ADRECS_COURSE_DATA/$COURSE"
  [[ -d "$INPUT" ]] || die "course data not found at $INPUT (ADRECS_COURSE_DATA, ADRECS_COURSE)"
elif [[ -d "$ROOT/../shared/data/$COURSE" ]]; then
  INPUT=$(cd "$ROOT/../shared/data/$COURSE" && pwd)
else
  INPUT="$LOCAL/sample-data"
  log "no course data at ../shared/data/$COURSE: generating the repository's sample into $INPUT (scripts/sample-data.py --seed 1)"
  "$SYSTEM_PYTHON" "$ROOT/scripts/sample-data.py" --out "$INPUT" --seed 1
fi

log "building adrecs (release, as the Dockerfile does: scripts/build-release.sh)"
ADRECS_BIN=$("$ROOT/scripts/build-release.sh")
export ADRECS_BIN
BIN="$ADRECS_BIN"

"$BIN/adrecs-ingest" migrate
"$ROOT/scripts/services.sh" start ingest models writer

log "uploading $INPUT to s3://$S3_BUCKET/raw/"
mkdir -p "$LOCAL/services"
"$BIN/adrecs-ingest" upload-raw --input "$INPUT" >"$LOCAL/services/upload-raw.log"

mapfile -t dates < <(course_dates "$INPUT")
log "kicking ${#dates[@]} dates, ${dates[0]} to ${dates[-1]}, one after another"
failed=0
for i in "${!dates[@]}"; do
  d=${dates[i]} kick_log="$LOCAL/services/kick-${dates[i]}.log" started=$SECONDS
  "$BIN/adrecs-ingest" kick --date "$d" --wait --timeout 300 >"$kick_log" 2>&1 || failed=$((failed + 1))
  # The ledger's line `run <id> date <D>: <state> (<cause>)`, or the kick's own last line.
  outcome=$(sed -n "s/^run .* date $d: //p" "$kick_log" | tail -n 1)
  [[ -n "$outcome" ]] || outcome="failed: $(tail -n 1 "$kick_log")"
  printf 'date %d of %d: %s %s (%d s)\n' $((i + 1)) "${#dates[@]}" "$d" "$outcome" $((SECONDS - started))
done

log "ledger: the latest run of each date"
"/usr/lib/postgresql/15/bin/psql" "$DB_URL" -P pager=off -c "
  SELECT DISTINCT ON (r.date) r.date, r.run_id, r.state,
         (i.counts->>'product_views_kept')::int AS views_kept, (i.counts->>'ads_views_kept')::int AS ads_kept,
         (i.counts->>'product_views_quarantined')::int + (i.counts->>'ads_views_quarantined')::int AS quarantined,
         c.recommendation_rows, c.advertisers,
         round(extract(epoch FROM r.finished_at - r.created_at)::numeric, 2) AS seconds
    FROM runs r
    LEFT JOIN run_stages i ON i.run_id = r.run_id AND i.stage = 'ingest'
    LEFT JOIN committed_days c ON c.date = r.date
   ORDER BY r.date, r.created_at DESC"
((failed == 0)) || die "$failed date(s) failed: see $LOCAL/services/kick-*.log and the service logs there"

"$ROOT/scripts/services.sh" start api
api="http://127.0.0.1:${PORT:-8080}"
adv=$(tail -n +2 "$INPUT/advertiser_ids" | tr -d '\r' | head -n 1)
log "the API serves the committed days; try:"
for path in "/recommendations/$adv/TopCTR" "/history/$adv/" "/stats/"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$api$path")
  echo "  curl -s $api$path    # HTTP $code"
  [[ $code == 200 ]] || die "the API answered $code for $path (log: $LOCAL/services/api.log)"
done
log "interactive docs: $api/docs ($api/ redirects there)"
log "all dates committed; services keep running (scripts/services.sh stop to stop them)"
