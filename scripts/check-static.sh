#!/usr/bin/env bash
# Static checks of the container and AWS files (issue 7); no Docker engine, no AWS account:
#   - cfn-lint on every CloudFormation template in infra/;
#   - compose.yaml against the Compose Specification's structural rules (scripts/check_static.py)
#     plus structural rules, the services' environment keys against their READMEs' documented keys
#     (compose, Dockerfile, ECS and App Runner), and the metrics named by Prometheus and the Grafana
#     dashboard against the metrics the Swift code exports (scripts/check_static.py).
# Tools live in a venv under .local/static-venv (created once, reused). Quiet on success;
# prints the problems and exits non-zero otherwise. Safe to run again.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

VENV="$LOCAL/static-venv"
REQUIREMENTS="cfn-lint==1.51.0 PyYAML==6.0.3"
stamp="$VENV/.requirements"
if [[ ! -x "$VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$REQUIREMENTS" ]]; then
  log "creating $VENV ($REQUIREMENTS)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $REQUIREMENTS >"$LOCAL/static-venv.log" 2>&1 \
    || { cat "$LOCAL/static-venv.log" >&2; die "could not install $REQUIREMENTS"; }
  echo "$REQUIREMENTS" >"$stamp"
fi

status=0
mapfile -t templates < <(grep -l '^AWSTemplateFormatVersion' infra/*.yaml)
((${#templates[@]})) || die "no CloudFormation template in infra/"
if ! out=$("$VENV/bin/cfn-lint" --format parseable -- "${templates[@]}" 2>&1); then
  printf '%s\n' "$out" >&2
  log "cfn-lint failed"
  status=1
fi
if ! "$VENV/bin/python" scripts/check_static.py; then
  log "static checks of compose.yaml, the Dockerfile, the templates and the monitoring files failed"
  status=1
fi
exit "$status"
