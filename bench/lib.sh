# Shared by the bench scripts. Sourced, never run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
WORK=.local/bench
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

# Generates (once) one day of $1 product_views and $1 ads_views rows, 2,000 advertisers of which 1,600
# are active, into $WORK/core-data-$1 (date 2026-11-22), and sets DATA to that folder.
generate_day() {
    local rows=$1
    DATA="$WORK/core-data-$rows"
    if [ -s "$DATA/ads_views" ] && [ -s "$DATA/product_views" ] && [ -s "$DATA/advertiser_ids" ]; then
        echo "== reusing data in $DATA (generated earlier:)"
        cat "$DATA/.generator-time" 2>/dev/null || true
    else
        echo "== generating data ($rows rows per log) into $DATA"
        cc -O2 -o "$WORK/generate_core_data" bench/generate_core_data.c
        rm -rf "$DATA.tmp" && mkdir -p "$DATA.tmp"
        /usr/bin/time -f "[generator] wall %e s, user %U s, peak RSS %M KB" -o "$DATA.tmp/.generator-time" \
            "$WORK/generate_core_data" "$DATA.tmp" "$rows"
        mv "$DATA.tmp" "$DATA"
        cat "$DATA/.generator-time"
    fi
    du -sh "$DATA"/* | sed 's/^/[data] /'
}

# Builds the release services (scripts/build-release.sh, as the Dockerfile), migrates, starts
# ingest, models and writer (the benchmark's own: stopped when it ends, however it ends) and
# uploads $DATA as the raw input. Sets and exports ADRECS_BIN, and sets BIN to it.
start_chain_services() {
    echo "== building the services (release, scripts/build-release.sh as the Dockerfile)"
    ADRECS_BIN=$(scripts/build-release.sh)
    export ADRECS_BIN
    BIN="$ADRECS_BIN"
    "$BIN/adrecs-ingest" migrate
    scripts/services.sh stop ingest models writer
    trap 'scripts/services.sh stop ingest models writer' EXIT
    scripts/services.sh start ingest models writer
    echo "== uploading the day to s3://$S3_BUCKET/raw/"
    "$BIN/adrecs-ingest" upload-raw --input "$DATA"
}
