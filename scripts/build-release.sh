#!/usr/bin/env bash
# Builds the four services' release binaries the one way the project ships them: the Dockerfile's
# builder stage runs this script, and so do scripts/smoke.sh (CI), scripts/run.sh and bench/chain.sh,
# so the binaries smoke-tested natively are the ones the images hold, and the release build folder
# is built once, not once per flag set.
#   swift build -c release --static-swift-stdlib --product adrecs-<service>   (one product at a time)
# Progress goes to stderr: each product's elapsed time and SwiftPM's latest `[n/N] step` every
# ADRECS_PROGRESS_SECONDS (30) while it builds (the first build runs for minutes), then its total.
# Usage: scripts/build-release.sh [DIR]   prints the bin path; with DIR, also copies the four binaries there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
PRODUCTS=(adrecs-ingest adrecs-models adrecs-writer adrecs-api)
FLAGS=(-c release --static-swift-stdlib)

build_log="$LOCAL/build-release.log"
: >"$build_log"
every=${ADRECS_PROGRESS_SECONDS:-30}
for product in "${PRODUCTS[@]}"; do
  log "building $product (${FLAGS[*]})"
  started=$SECONDS
  swift build "${FLAGS[@]}" --product "$product" >>"$build_log" 2>&1 &
  pid=$!
  next=$((SECONDS + every))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS >= next)) && kill -0 "$pid" 2>/dev/null; then
      step=$(grep -o '^\[[0-9]*/[0-9]*\] .*' "$build_log" | tail -n 1 | cut -c1-100 || true)
      log "  $product: $((SECONDS - started)) s${step:+, $step}"
      next=$((SECONDS + every))
    fi
  done
  if ! wait "$pid"; then
    grep -E "error:" "$build_log" >&2 || tail -n 40 "$build_log" >&2
    die "release build of $product failed (full log: $build_log)"
  fi
  log "built $product in $((SECONDS - started)) s"
done
bin=$(swift build "${FLAGS[@]}" --show-bin-path)
if (($#)); then
  mkdir -p "$1"
  for product in "${PRODUCTS[@]}"; do install -m 0755 "$bin/$product" "$1/"; done
fi
echo "$bin"
