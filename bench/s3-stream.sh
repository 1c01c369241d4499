#!/usr/bin/env bash
# Streams 500 MB (or $1 MB) up to the local SeaweedFS through S3Store and back down, printing
# throughput and peak RSS (/usr/bin/time -v). Starts the S3 server with scripts/s3.sh if needed.
# Target: peak RSS under 64 MB.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/env.sh"
SIZE_MB="${1:-500}"
LIMIT_MB=64

if ! "$ROOT/scripts/s3.sh" status >/dev/null 2>&1; then
  "$ROOT/scripts/s3.sh" start
  source "$ROOT/scripts/env.sh"
fi
[[ -n "${AWS_ACCESS_KEY_ID:-}" && -n "${AWS_SECRET_ACCESS_KEY:-}" ]] \
  || die "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set (source the server's credentials.env)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"

cd "$ROOT"
log "building S3StreamBench (release)"
# The release flags of scripts/build-release.sh, so the shared release objects are not rebuilt.
swift build -c release --static-swift-stdlib --product S3StreamBench >/dev/null
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/S3StreamBench"

TIMES="$(mktemp)"
trap 'rm -f "$TIMES"' EXIT
/usr/bin/time -v -o "$TIMES" "$BIN" "$SIZE_MB"
RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TIMES")
printf 'peak RSS (/usr/bin/time -v): %d MB (target < %d MB)\n' $((RSS_KB / 1024)) "$LIMIT_MB"
grep -E 'Elapsed \(wall clock\)|User time|System time' "$TIMES" | sed 's/^\s*/  /'
(( RSS_KB / 1024 < LIMIT_MB )) || die "peak RSS above ${LIMIT_MB} MB"
