#!/usr/bin/env bash
# Benchmark of the public API (issue 5): 7 days x 1,600 advertisers x 2 models x 20 items are
# committed into schema bench_api (one transaction per day in the writer's shape: DELETE, COPY
# recommendations and active_advertisers, upsert committed_days, NOTIFY adrecs_days), then a
# release adrecs-api and nginx (serving the API's own response bytes as static files) are hit with
# wrk -t2 -c64 -d15s --latency, a different advertiser per request (Lua script), on
# /recommendations/<adv>/TopCTR and /history/<adv>/. Prints req/s, p50, p99 side by side and the
# API's RSS, then the RSS peak again after the latest day is committed again (a reload while serving). Targets: API req/s >= 0.5x nginx, p99 < 10 ms, RSS < 150 MB.
# Needs DB_URL (default: the project's local PostgreSQL), wrk, nginx, psql, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_URL="${DB_URL:-postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable}"
SCHEMA="${BENCH_SCHEMA:-bench_api}"
ADVERTISERS="${BENCH_ADVERTISERS:-1600}"
API_PORT="${BENCH_API_PORT:-18480}"
NGINX_PORT="${BENCH_NGINX_PORT:-18481}"
DURATION="${BENCH_DURATION:-15s}"
WORK=.local/bench/api
rm -rf "$WORK" && mkdir -p "$WORK/static" "$WORK/nginx/logs"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== generating 7 days x $ADVERTISERS advertisers"
python3 - "$WORK" "$ADVERTISERS" <<'PY'
import sys, random
work, n = sys.argv[1], int(sys.argv[2])
random.seed(42)
for d in range(7):
    date = f"2025-11-{d + 2:02d}"
    with open(f"{work}/rec-{date}.csv", "w") as f, open(f"{work}/adv-{date}.csv", "w") as a:
        f.write("date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr\n")
        a.write("date,advertiser_id\n")
        for i in range(1, n + 1):
            adv = f"adv{i:04d}"
            a.write(f"{date},{adv}\n")
            for r in range(1, 21):
                f.write(f"{date},{adv},TopProduct,{r},prod{random.randrange(100000):06d},{1000 - r},,,\n")
                imp = random.randrange(100, 10000); clk = random.randrange(0, imp // 10)
                f.write(f"{date},{adv},TopCTR,{r},prod{random.randrange(100000):06d},,{imp},{clk},{clk / imp}\n")
PY

echo "== committing the days into schema $SCHEMA"
psql -q -v ON_ERROR_STOP=1 "$DB_URL" <<SQL
CREATE SCHEMA IF NOT EXISTS $SCHEMA;
SET search_path TO $SCHEMA;
CREATE TABLE IF NOT EXISTS recommendations (date date NOT NULL, advertiser_id text NOT NULL,
  model text NOT NULL CHECK (model IN ('TopCTR','TopProduct')), rank int NOT NULL CHECK (rank BETWEEN 1 AND 20),
  product_id text NOT NULL, views int, impressions int, clicks int, ctr double precision,
  PRIMARY KEY (date, advertiser_id, model, rank));
CREATE TABLE IF NOT EXISTS active_advertisers (date date NOT NULL, advertiser_id text NOT NULL, PRIMARY KEY (date, advertiser_id));
CREATE TABLE IF NOT EXISTS committed_days (date date PRIMARY KEY, run_id text NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now(), recommendation_rows int NOT NULL, advertisers int NOT NULL);
SQL
for f in "$WORK"/rec-*.csv; do
    date="${f##*/rec-}"; date="${date%.csv}"
    psql -q -v ON_ERROR_STOP=1 "$DB_URL" <<SQL
SET search_path TO $SCHEMA;
BEGIN;
DELETE FROM recommendations WHERE date = '$date';
DELETE FROM active_advertisers WHERE date = '$date';
\copy recommendations (date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr) FROM '$f' WITH (FORMAT csv, HEADER true)
\copy active_advertisers (date,advertiser_id) FROM '$WORK/adv-$date.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO committed_days (date, run_id, recommendation_rows, advertisers)
  VALUES ('$date', '${date}T040000-bench000', $((ADVERTISERS * 40)), $ADVERTISERS)
  ON CONFLICT (date) DO UPDATE SET run_id = excluded.run_id, committed_at = now(),
    recommendation_rows = excluded.recommendation_rows, advertisers = excluded.advertisers;
SELECT pg_notify('adrecs_days', '$date ${date}T040000-bench000');
COMMIT;
SQL
done

echo "== building adrecs-api (release, scripts/build-release.sh as the Dockerfile)"
BIN="$(scripts/build-release.sh)/adrecs-api"
DB_URL="$DB_URL" DB_SCHEMA="$SCHEMA" PORT="$API_PORT" LOG_LEVEL=warning "$BIN" > "$WORK/api.log" 2>&1 &
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

# A reload while serving: the latest day is committed again (new run id), so the API builds a
# whole new snapshot while the old one is still current and wrk keeps requesting /history; the
# peak is old + new-in-progress.
LATEST=$(printf "2025-11-%02d" 8)
ETAG=$(curl -fs -D - -o /dev/null "localhost:$API_PORT/history/adv0001/" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
BENCH_PATH="/history/%s/" wrk -t2 -c64 -d5s -s "$WORK/vary.lua" "http://127.0.0.1:$API_PORT" > "$WORK/wrk-reload.txt" 2>&1 &
WRK_PID=$!
sleep 1
psql -q -v ON_ERROR_STOP=1 "$DB_URL" <<SQL
SET search_path TO $SCHEMA;
BEGIN;
UPDATE committed_days SET run_id = '${LATEST}T050000-bench001', committed_at = now() WHERE date = '$LATEST';
SELECT pg_notify('adrecs_days', '$LATEST ${LATEST}T050000-bench001');
COMMIT;
SQL
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
