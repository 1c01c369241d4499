#!/usr/bin/env bash
# Benchmark of the model core: one day of 10M product_views + 10M ads_views rows
# (2,000 advertisers, 1,600 active), computed by `adrecs-models compute` in release.
# Data is generated once into .local/bench/core-data (regenerated when missing).
# Target on the 2-core machine: core wall time < 3 s, peak RSS < 400 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${BENCH_ROWS:-10000000}"
WORK=.local/bench
DATA="$WORK/core-data-$ROWS"
mkdir -p "$WORK"

if ! [ -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null
fi

if ! [ -s "$DATA/ads_views" ] || ! [ -s "$DATA/product_views" ] || ! [ -s "$DATA/advertiser_ids" ]; then
    echo "== generating data ($ROWS rows per log) into $DATA"
    cc -O2 -o "$WORK/generate_core_data" bench/generate_core_data.c
    rm -rf "$DATA.tmp" && mkdir -p "$DATA.tmp"
    /usr/bin/time -f "[generator] wall %e s, peak RSS %M KB" "$WORK/generate_core_data" "$DATA.tmp" "$ROWS"
    mv "$DATA.tmp" "$DATA"
else
    echo "== reusing data in $DATA"
fi
du -sh "$DATA"/* | sed 's/^/[data] /'

echo "== building adrecs-models (release)"
swift build -c release --product adrecs-models 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/adrecs-models"

# Warm the page cache so the figures measure the core, not the disk.
cat "$DATA/product_views" "$DATA/ads_views" > /dev/null

echo "== running compute"
LOG="$WORK/core-time.log"
/usr/bin/time -v -o "$LOG" "$BIN" compute --input "$DATA" --output "$WORK/core-output.csv" | tee "$WORK/core-summary.txt" | tail -8

core_seconds=$(sed -n 's/.*elapsed \([0-9.]*\) s.*/\1/p' "$WORK/core-summary.txt" | tail -1)
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$LOG")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOG")
cpu_user=$(sed -n 's/.*User time (seconds): //p' "$LOG")
cpu_sys=$(sed -n 's/.*System time (seconds): //p' "$LOG")
total_rows=$((2 * ROWS))
echo "== results ($total_rows log rows)"
echo "[core] wall time (read+parse+rank, in-process): $core_seconds s"
awk -v r="$total_rows" -v s="$core_seconds" 'BEGIN { printf "[core] throughput: %.1f M rows/s\n", r / s / 1e6 }'
echo "[process] wall $wall (incl. start-up and writing $(($(wc -l < "$WORK/core-output.csv") - 1)) result rows), user ${cpu_user} s, sys ${cpu_sys} s"
awk -v k="$rss_kb" 'BEGIN { printf "[process] peak RSS: %.0f MB\n", k / 1024 }'
