#!/usr/bin/env bash
# Benchmark of the public API: raw logs for 7 days x 1,600 advertisers (25 viewed and
# advertised products each) go through the real chain (release ingest, models and writer, in
# schema bench_api and bucket adrecs-bench-api), so the writer commits 7 days x 1,600
# advertisers x 2 models x 20 items; then a release adrecs-api and nginx (serving the API's own
# response bytes as static files) are hit with wrk -t2 -c64 -d15s --latency, a different
# advertiser per request (Lua script), on /recommendations/<adv>/TopCTR and /history/<adv>/.
# Prints req/s, p50, p99 side by side and the API's RSS, then the RSS peak again after the latest
# day is re-run through the chain while wrk keeps requesting (a reload while serving).
# Targets: API req/s >= 0.5x nginx, p99 < 10 ms, RSS < 150 MB. Installs wrk and nginx if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
command -v wrk >/dev/null && command -v nginx >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx >/dev/null; }
scripts/servers.sh start
ROOT=$PWD source scripts/env.sh

export DB_SCHEMA="${BENCH_SCHEMA:-bench_api}" S3_BUCKET="${BENCH_BUCKET:-adrecs-bench-api}"
ADVERTISERS="${BENCH_ADVERTISERS:-1600}"
API_PORT="${BENCH_API_PORT:-18480}"
NGINX_PORT="${BENCH_NGINX_PORT:-18481}"
DURATION="${BENCH_DURATION:-15s}"
WORK=.local/bench/api
rm -rf "$WORK" && mkdir -p "$WORK/static" "$WORK/nginx/logs" "$WORK/raw"
# The chain's services on ports of their own, stopped (with the API and nginx) when the bench ends.
export ADRECS_SERVICES_DIR="$WORK/services" ADRECS_INGEST_PORT=18491 ADRECS_MODELS_PORT=18492 ADRECS_WRITER_PORT=18493
export MESSAGING_MODELS_ENDPOINT=tcp://127.0.0.1:18497 MESSAGING_WRITER_ENDPOINT=tcp://127.0.0.1:18498
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    scripts/services.sh stop ingest models writer
}
trap cleanup EXIT

echo "== generating raw logs: 7 days x $ADVERTISERS advertisers x 25 products"
"$SYSTEM_PYTHON" - "$WORK/raw" "$ADVERTISERS" <<'PY'
import sys, random
out, n = sys.argv[1], int(sys.argv[2])
random.seed(42)
advertisers = [f"adv{i:04d}" for i in range(1, n + 1)]
with open(f"{out}/advertiser_ids", "w") as f:
    f.write("advertiser_id\n" + "".join(a + "\n" for a in advertisers))
with open(f"{out}/product_views", "w") as views, open(f"{out}/ads_views", "w") as ads:
    views.write("advertiser_id,product_id,date\n")
    ads.write("advertiser_id,product_id,type,date\n")
    for d in range(7):
        date = f"2025-11-{d + 2:02d}"
        for adv in advertisers:
            for p in random.sample(range(100000), 25):
                product = f"p{p:05d}"
                views.write(f"{adv},{product},{date}\n" * random.randint(1, 6))
                shown = random.randint(4, 10)
                ads.write(f"{adv},{product},impression,{date}\n" * shown)
                ads.write(f"{adv},{product},click,{date}\n" * random.randint(0, shown // 3))
PY

echo "== running the 7 days through the chain (release builds, scripts/build-release.sh as the Dockerfile)"
export ADRECS_BIN
ADRECS_BIN=$(scripts/build-release.sh)
BIN="$ADRECS_BIN"
psql -q -v ON_ERROR_STOP=1 "$DB_URL" -c "DROP SCHEMA IF EXISTS $DB_SCHEMA CASCADE"
"$BIN/adrecs-ingest" migrate > /dev/null
scripts/services.sh start ingest models writer
"$BIN/adrecs-ingest" upload-raw --input "$WORK/raw" > /dev/null
for d in 2 3 4 5 6 7 8; do
    "$BIN/adrecs-ingest" kick --date "2025-11-0$d" --wait > "$WORK/kick-$d.log" 2>&1 \
        || { cat "$WORK/kick-$d.log"; exit 1; }
done
psql -At "$DB_URL" -c "SELECT count(*) || ' recommendation rows over ' || count(DISTINCT date) || ' days' FROM $DB_SCHEMA.recommendations"

PORT="$API_PORT" LOG_LEVEL=warning "$BIN/adrecs-api" > "$WORK/api.log" 2>&1 &
API_PID=$!
PIDS+=("$API_PID")
for _ in $(seq 1 200); do
    curl -fs "localhost:$API_PORT/ready" > /dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "localhost:$API_PORT/ready" > /dev/null || { echo "the API did not become ready"; cat "$WORK/api.log"; exit 1; }

echo "== copying the API's response bytes for nginx"
for i in $(seq 1 "$ADVERTISERS"); do
    adv=$(printf "adv%04d" "$i")
    mkdir -p "$WORK/static/recommendations/$adv" "$WORK/static/history/$adv"
    echo "url = \"localhost:$API_PORT/recommendations/$adv/TopCTR\""
    echo "output = \"$WORK/static/recommendations/$adv/TopCTR\""
    echo "url = \"localhost:$API_PORT/history/$adv/\""
    echo "output = \"$WORK/static/history/$adv/index.json\""
done > "$WORK/curl.conf"
curl -fs --parallel --parallel-max 16 -K "$WORK/curl.conf"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $PWD/$WORK/nginx/nginx.pid;
error_log $PWD/$WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    types { }
    default_type application/json;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $PWD/$WORK/static;
        index index.json;
    }
}
NGINX
nginx -p "$PWD/$WORK/nginx" -c "$PWD/$WORK/nginx/nginx.conf" -g "daemon off;" &
PIDS+=("$!")
sleep 0.5
curl -fs "localhost:$NGINX_PORT/recommendations/adv0001/TopCTR" | cmp - "$WORK/static/recommendations/adv0001/TopCTR"

cat > "$WORK/vary.lua" <<LUA
local n = $ADVERTISERS
local template = os.getenv("BENCH_PATH")
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format(template, string.format("adv%04d", (counter % n) + 1)))
end
LUA

run() { # target port path-template -> "req/s p50 p99"
    local out
    out=$(BENCH_PATH="$3" wrk -t2 -c64 -d"$DURATION" --latency -s "$WORK/vary.lua" "http://127.0.0.1:$2" 2>&1)
    echo "$out" > "$WORK/wrk-$1-$(echo "$3" | cut -d/ -f2).txt"
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
    printf "%-8s %-36s %12s %10s %10s  %s\n" "$1" "$3" "$rps" "$p50" "$p99" "$errors"
}

echo "== wrk -t2 -c64 -d$DURATION --latency, a different advertiser per request"
printf "%-8s %-36s %12s %10s %10s\n" target path req/s p50 p99
for path in "/recommendations/%s/TopCTR" "/history/%s/"; do
    run api "$API_PORT" "$path"
    run nginx "$NGINX_PORT" "$path"
done
echo "== API RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$API_PID/status") (peak $(awk '/VmHWM/ {print $2, $3}' "/proc/$API_PID/status"))"

# A reload while serving: the latest day is run again through the chain (new run id), so the API builds a
# whole new snapshot while the old one is still current and wrk keeps requesting /history; the
# peak is old + new-in-progress.
LATEST=$(printf "2025-11-%02d" 8)
ETAG=$(curl -fs -D - -o /dev/null "localhost:$API_PORT/history/adv0001/" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
BENCH_PATH="/history/%s/" wrk -t2 -c64 -d5s -s "$WORK/vary.lua" "http://127.0.0.1:$API_PORT" > "$WORK/wrk-reload.txt" 2>&1 &
WRK_PID=$!
sleep 1
"$BIN/adrecs-ingest" kick --date "$LATEST" --wait > "$WORK/kick-reload.log" 2>&1 || { cat "$WORK/kick-reload.log"; exit 1; }
for _ in $(seq 1 100); do
    NEW=$(curl -fs -D - -o /dev/null "localhost:$API_PORT/history/adv0001/" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
    [[ "$NEW" != "$ETAG" ]] && break
    sleep 0.1
done
[[ "$NEW" != "$ETAG" ]] || { echo "the re-committed day was not picked up"; exit 1; }
wait "$WRK_PID"
echo "== during the reload: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-reload.txt") req/s on /history, $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$WORK/wrk-reload.txt")"
echo "== API RSS after a reload while serving: $(awk '/VmRSS/ {print $2, $3}' "/proc/$API_PID/status") (peak $(awk '/VmHWM/ {print $2, $3}' "/proc/$API_PID/status"))"
curl -fs "localhost:$API_PORT/metrics" | grep -E '^adrecs_api_snapshot_(bytes|advertisers|days) '
