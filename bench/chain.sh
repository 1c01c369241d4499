#!/usr/bin/env bash
# Benchmark of the nightly chain: one day of 10M product_views + 10M ads_views rows (2,000
# advertisers, 1,600 active) uploaded to the local S3 server, then ingest → models → writer
# (release builds) from kick to committed day; beside it, DuckDB's time for the same
# Filter + TopProduct + TopCTR on the same files read locally.
# Targets on the 2-core machine: chain time ≤ 2 × DuckDB's; peak RSS of every service ≤ 400 MB.
# Also printed: CPU seconds of the S3 server and of each service during the chain, and the load.
# BENCH_ROWS overrides the row count.
source "$(dirname "$0")/lib.sh"
ROWS="${BENCH_ROWS:-10000000}"
DATE=2026-11-22
generate_day "$ROWS"

scripts/setup.sh
scripts/servers.sh start
ROOT=$PWD source scripts/env.sh

echo "== DuckDB (virtualenv in $WORK/venv)"
[ -x "$WORK/venv/bin/python" ] || "$SYSTEM_PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -c "import duckdb" 2>/dev/null || "$WORK/venv/bin/pip" install -q --disable-pip-version-check duckdb
cat "$DATA/product_views" "$DATA/ads_views" >/dev/null
duck_start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$WORK/duckdb-rss" "$WORK/venv/bin/python" bench/duckdb_models.py "$DATA" "$DATE" "$WORK/duckdb-output.csv" >/dev/null
duck_seconds=$(awk -v a="$duck_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')

start_chain_services

# CPU seconds (user + system) of the S3 server and of each service, read from /proc before and after.
CPU_PIDS=("$(cat .local/s3/weed.pid 2>/dev/null || echo 0)" $(cat .local/services/{ingest,models,writer}.pid))
cpu_ticks() { for p in "${CPU_PIDS[@]}"; do awk '{ printf "%d ", $14 + $15 }' "/proc/$p/stat" 2>/dev/null || printf '0 '; done; }

echo "== kicking $DATE"
cpu_before=($(cpu_ticks))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
chain_start=$(date +%s.%N)
"$BIN/adrecs-ingest" kick --date "$DATE" --wait --timeout 1800 >"$WORK/chain-kick.log" || { cat "$WORK/chain-kick.log"; exit 1; }
chain_seconds=$(awk -v a="$chain_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
cpu_after=($(cpu_ticks))

PSQL=(/usr/lib/postgresql/15/bin/psql "$DB_URL" -At -F ' ')
run_id=$("${PSQL[@]}" -c "SELECT run_id FROM runs WHERE date = '$DATE' ORDER BY created_at DESC LIMIT 1")
echo "== results (run $run_id, $((2 * ROWS)) log rows)"
printf '%-34s %10s\n' "what" "seconds"
printf '%-34s %10.2f\n' "chain: kick to committed day" "$chain_seconds"
"${PSQL[@]}" -c "SELECT stage, round(extract(epoch FROM finished_at - started_at)::numeric, 2)
                   FROM run_stages WHERE run_id = '$run_id' ORDER BY array_position(ARRAY['ingest','models','writer'], stage)" |
  while read -r stage seconds; do printf '%-34s %10s\n' "  stage $stage" "$seconds"; done
printf '%-34s %10.2f\n' "DuckDB: same day, local files" "$duck_seconds"
awk -v c="$chain_seconds" -v d="$duck_seconds" 'BEGIN { printf "%-34s %10.2f  (target <= 2)\n", "chain / DuckDB", c / d }'
echo
printf '%-34s %10s\n' "peak RSS" "MB"
for s in ingest models writer; do
  hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$(cat .local/services/$s.pid)/status")
  printf '%-34s %10d  (target <= 400)\n' "  adrecs-$s" "$((hwm / 1024))"
done
printf '%-34s %10d\n' "  DuckDB (python)" "$(($(cat "$WORK/duckdb-rss") / 1024))"
echo
# The chain is CPU-bound on 2 cores: the S3 server's share shows how much of it is moving bytes.
hz=$(getconf CLK_TCK)
printf '%-34s %10s\n' "CPU during the chain (user+sys)" "seconds"
names=("S3 server (weed)" adrecs-ingest adrecs-models adrecs-writer)
for i in "${!names[@]}"; do
  awk -v n="  ${names[$i]}" -v a="${cpu_before[$i]}" -v b="${cpu_after[$i]}" -v hz="$hz" 'BEGIN { printf "%-34s %10.2f\n", n, (b - a) / hz }'
done
printf '%-34s %s\n' "load average before / after" "$load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
