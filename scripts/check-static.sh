#!/usr/bin/env bash
# Static checks of the container and AWS files (issue 7); no Docker engine, no AWS account:
#   - cfn-lint on every CloudFormation template in infra/;
#   - compose.yaml against the Compose Specification's structural rules (scripts/check_static.py)
#     plus structural rules, the services' environment keys against their READMEs' documented keys
#     (compose, Dockerfile, ECS and App Runner), and the metrics named by Prometheus and the Grafana
#     dashboard against the metrics the Swift code exports, and that the dates each document
#     (README.md, infra/README.md, compose.yaml, .env.example, scripts/run.sh, …) triggers exist in
#     the data it uploads (scripts/check_static.py);
#   - the unit tests of the sample-data generator (Tests/sample-data, Debian's python3, stdlib only).
# Tools live in a venv under .local/static-venv (lib.sh check_python: created once, reused).
# Quiet on success; prints the problems and exits non-zero otherwise. Safe to run again.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

PYTHON=$(check_python)

status=0
mapfile -t templates < <(grep -l '^AWSTemplateFormatVersion' infra/*.yaml)
((${#templates[@]})) || die "no CloudFormation template in infra/"
if ! out=$("$(dirname "$PYTHON")/cfn-lint" --format parseable -- "${templates[@]}" 2>&1); then
  printf '%s\n' "$out" >&2
  log "cfn-lint failed"
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
