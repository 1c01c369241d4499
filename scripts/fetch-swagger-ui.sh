#!/usr/bin/env bash
# Fetches Swagger UI's files for the api's /docs page into DEST (default .local/swagger-ui), the
# folder API_DOCS_DIR names. The wheel pinned with its sha256 in services/api/docs-requirements.txt
# is downloaded by pip (--require-hashes --no-deps: nothing is installed) in a virtualenv made from
# Debian's python3 (.local/docs/pip-venv; python3-venv), its hash checked again, and the files the
# page needs (swagger-ui-bundle.js, swagger-ui.css, favicon-32x32.png) and Swagger UI's LICENSE are
# unpacked. Nothing is fetched at run time. A DEST made from the same pin is kept as it is.
# The image build (Dockerfile, stage docs-assets) runs the same script.
# Usage: scripts/fetch-swagger-ui.sh [DEST]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REQUIREMENTS="$ROOT/services/api/docs-requirements.txt"
DEST=${1:-$LOCAL/swagger-ui}
PYTHON=${ADRECS_SYSTEM_PYTHON:-/usr/bin/python3}
VENV="$LOCAL/docs/pip-venv"
want=$(sha256sum "$REQUIREMENTS" | cut -c1-16)
[[ "$(cat "$DEST/.adrecs-lock" 2>/dev/null)" == "$want" ]] && exit 0

[[ -x "$VENV/bin/pip" ]] || "$PYTHON" -m venv "$VENV" || die "cannot make a virtualenv with $PYTHON (apt-get install python3-venv)"
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
"$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes \
  -r "$REQUIREMENTS" -d "$download" || die "pip could not download the pinned Swagger UI wheel ($REQUIREMENTS)"
"$VENV/bin/python" - "$REQUIREMENTS" "$download" "$DEST" "$want" <<'PY' || die "unpacking Swagger UI failed"
import hashlib, pathlib, re, shutil, sys, zipfile
requirements, download, dest, stamp = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
pins = re.findall(r"--hash=sha256:([0-9a-f]{64})", pathlib.Path(requirements).read_text())
wheels = list(download.glob("*.whl"))
if len(wheels) != 1:
    sys.exit(f"expected one wheel, got {wheels}")
digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
if digest not in pins:
    sys.exit(f"{wheels[0].name}: sha256 {digest} is not pinned in {requirements}")
wanted = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"]
staging = dest.with_name(dest.name + ".tmp")
shutil.rmtree(staging, ignore_errors=True)
staging.mkdir(parents=True)
with zipfile.ZipFile(wheels[0]) as wheel:
    for name in wanted:
        (staging / name).write_bytes(wheel.read(f"swagger_ui/static/{name}"))
(staging / ".adrecs-lock").write_text(stamp + "\n")
shutil.rmtree(dest, ignore_errors=True)
staging.rename(dest)
print(f"[adrecs] Swagger UI from {wheels[0].name} (sha256 {digest[:16]}…) in {dest}", file=sys.stderr)
PY
