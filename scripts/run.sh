#!/usr/bin/env bash
# The main job on one machine: sets everything up, starts PostgreSQL, SeaweedFS and the services,
# uploads the course-2025 logs to S3 as raw input, kicks every date in order through the nightly
# chain (ingest → models → writer), prints the ledger's outcome per date, then starts the public
# API on the data it just computed and prints three example requests.
# Keys: ADRECS_COURSE (course-2025), ADRECS_COURSE_DATA (../shared/data), and those of scripts/env.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/servers.sh" start
source "$ROOT/scripts/env.sh"
DATA="${ADRECS_COURSE_DATA:-$(cd "$ROOT/.." && pwd)/shared/data}"
COURSE="${ADRECS_COURSE:-course-2025}"
[[ -d "$DATA/$COURSE" ]] || die "course data not found at $DATA/$COURSE (set ADRECS_COURSE_DATA)"

log "building adrecs (release, as the Dockerfile does: scripts/build-release.sh)"
ADRECS_BIN=$("$ROOT/scripts/build-release.sh")
export ADRECS_BIN
BIN="$ADRECS_BIN"

"$BIN/adrecs-ingest" migrate
"$ROOT/scripts/services.sh" start ingest models writer

log "uploading $COURSE to s3://$S3_BUCKET/raw/"
"$BIN/adrecs-ingest" upload-raw --input "$DATA/$COURSE"

dates=$(tail -n +2 "$DATA/$COURSE/product_views" | tr -d '\r' | cut -d, -f3 | sort -u)
failed=0
for d in $dates; do
  "$BIN/adrecs-ingest" kick --date "$d" --wait --timeout 300 >"$LOCAL/services/kick-$d.log" 2>&1 || failed=$((failed + 1))
  grep "^run " "$LOCAL/services/kick-$d.log" | tail -n 1
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
adv=$(tail -n +2 "$DATA/$COURSE/advertiser_ids" | tr -d '\r' | head -n 1)
log "the API serves the committed days; try:"
for path in "/recommendations/$adv/TopCTR" "/history/$adv/" "/stats/"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$api$path")
  echo "  curl -s $api$path    # HTTP $code"
  [[ $code == 200 ]] || die "the API answered $code for $path (log: $LOCAL/services/api.log)"
done
log "interactive docs: $api/docs ($api/ redirects there)"
log "all dates committed; services keep running (scripts/services.sh stop to stop them)"
