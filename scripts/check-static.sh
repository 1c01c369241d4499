#!/usr/bin/env bash
# Static checks of the container and AWS files; no Docker engine, no AWS account:
#   - cfn-lint on every CloudFormation template in infra/;
#   - compose.yaml against the Compose Specification's structural rules (scripts/check_static.py)
#     plus structural rules, the services' environment keys against their READMEs' documented keys
#     (compose, Dockerfile, ECS and App Runner), and the metrics named by Prometheus and the Grafana
#     dashboard against the metrics the Swift code exports, and that the dates each document
#     (README.md, infra/README.md, compose.yaml, .env.example, scripts/run.sh, …) triggers exist in
#     the data it uploads (scripts/check_static.py);
#   - the Prometheus config and alert rules (promtool check config) and the rules' unit tests
#     (promtool test rules infra/monitoring/alerts.test.yml).
#   - each service README's config table against its release binary's `--help` (keys, defaults,
#     secret marks; the binaries from $ADRECS_BIN, else scripts/build-release.sh builds them).
#   - the unit tests of the sample-data generator (Tests/sample-data, Debian's python3, stdlib only).
# Tools live in a venv under .local/static-venv (lib.sh check_python: created once, reused), and
# promtool under .local/promtool (promtool_path below).
# Quiet on success; prints the problems and exits non-zero otherwise. Safe to run again.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

PYTHON=$(check_python)

# Prints the path of promtool from Debian's prometheus package, unpacked once under .local/promtool
# (apt-get download + dpkg-deb -x: nothing installed system-wide, no Prometheus daemon started);
# a promtool already on PATH serves when the package cannot be fetched.
promtool_path() {
  local dir="$LOCAL/promtool"
  if [[ ! -x $dir/root/usr/bin/promtool ]]; then
    log "fetching promtool (Debian's prometheus package) into $dir"
    mkdir -p "$dir"
    rm -rf "$dir"/prometheus_*.deb "$dir/root"
    if ! (cd "$dir" && apt-get download prometheus >/dev/null 2>&1 ||
          { apt-get update -qq >/dev/null 2>&1 && apt-get download prometheus >/dev/null 2>&1; }); then
      command -v promtool && return 0
      die "cannot fetch Debian's prometheus package (apt-get download prometheus)"
    fi
    dpkg-deb -x "$dir"/prometheus_*.deb "$dir/root"
  fi
  echo "$dir/root/usr/bin/promtool"
}

status=0
mapfile -t templates < <(grep -l '^AWSTemplateFormatVersion' infra/*.yaml)
((${#templates[@]})) || die "no CloudFormation template in infra/"
if ! out=$("$(dirname "$PYTHON")/cfn-lint" --format parseable -- "${templates[@]}" 2>&1); then
  printf '%s\n' "$out" >&2
  log "cfn-lint failed"
  status=1
fi
PROMTOOL=$(promtool_path)
if ! out=$("$PROMTOOL" check config infra/monitoring/prometheus.yml 2>&1 &&
           "$PROMTOOL" test rules infra/monitoring/alerts.test.yml 2>&1); then
  printf '%s\n' "$out" >&2
  log "promtool: the Prometheus config, the alert rules or their tests failed"
  status=1
fi
if ! "$PYTHON" scripts/check_static.py; then
  log "static checks of compose.yaml, the Dockerfile, the templates and the monitoring files failed"
  status=1
fi
if ! out=$("$SYSTEM_PYTHON" -m unittest discover -s Tests/sample-data 2>&1); then
  printf '%s\n' "$out" >&2
  log "the sample-data generator's tests failed (Tests/sample-data)"
  status=1
fi
exit "$status"
