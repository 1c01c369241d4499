#!/usr/bin/env bash
# Builds the four services' release binaries the one way the project ships them: the Dockerfile's
# builder stage runs this script, and so do scripts/smoke.sh (CI), scripts/run.sh and bench/chain.sh,
# so the binaries smoke-tested natively are the ones the images hold, and the release build folder
# is built once, not once per flag set.
#   swift build -c release --static-swift-stdlib --product adrecs-<service>   (one product at a time)
# Progress goes to stderr: each product's elapsed time and SwiftPM's latest `[n/N] step` every
# ADRECS_PROGRESS_SECONDS (30) while it builds (the first build runs for minutes), then its total.
# Usage: scripts/build-release.sh [DIR]   prints the bin path; with DIR, also copies the four binaries there.
# The binaries are stamped with a version and git commit (`--version`, `/health`, adrecs_build_info):
# ADRECS_VERSION and ADRECS_COMMIT when set (the Dockerfile's build args: the image has no .git),
# else the checkout's latest v* tag (0.0.0-dev without one) and HEAD (`-dirty` with uncommitted
# changes to tracked files). The stamp is shared/CBuildInfo/build_stamp.h (not in git); it is
# rewritten only when it changes, so a new stamp recompiles one C file and relinks.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
PRODUCTS=(adrecs-ingest adrecs-models adrecs-writer adrecs-api)
FLAGS=(-c release --static-swift-stdlib)

stamp_build() {
  local version=${ADRECS_VERSION:-} commit=${ADRECS_COMMIT:-} stamp=shared/CBuildInfo/build_stamp.h want
  if [[ -z $version ]]; then
    version=$(git describe --tags --match 'v[0-9]*' --abbrev=0 2>/dev/null || true)
    version=${version#v}
    version=${version:-0.0.0-dev}
  fi
  if [[ -z $commit ]]; then
    commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
    if [[ $commit != unknown ]] && ! git diff --quiet HEAD -- 2>/dev/null; then commit+=-dirty; fi
  fi
  [[ $version =~ ^[A-Za-z0-9._+-]+$ && $commit =~ ^[A-Za-z0-9._+-]+$ ]] ||
    die "ADRECS_VERSION/ADRECS_COMMIT may hold only letters, digits and . _ + - (got '$version', '$commit')"
  want=$(printf '#define ADRECS_VERSION "%s"\n#define ADRECS_COMMIT "%s"\n' "$version" "$commit")
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    printf '%s\n' "$want" >"$stamp"
    touch shared/CBuildInfo/build_info.c   # __has_include: a new stamp file must recompile it
  fi
  log "stamping $version (commit $commit)"
}
stamp_build

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
