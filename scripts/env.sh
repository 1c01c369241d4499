# The local defaults every script, test and service uses. Source it; override any key beforehand.
# Ports are chosen away from common defaults so a developer machine's own servers do not clash.
: "${ADRECS_PG_PORT:=55432}"
: "${ADRECS_S3_PORT:=18333}"
: "${ADRECS_S3_REGION:=us-east-1}"
: "${ADRECS_S3_BUCKET:=adrecs}"
export ADRECS_PG_PORT ADRECS_S3_PORT ADRECS_S3_REGION ADRECS_S3_BUCKET
export DB_URL="${DB_URL:-postgresql://adrecs@127.0.0.1:${ADRECS_PG_PORT}/adrecs?sslmode=disable}"
export S3_ENDPOINT="${S3_ENDPOINT:-http://127.0.0.1:${ADRECS_S3_PORT}}"
export S3_REGION="${S3_REGION:-$ADRECS_S3_REGION}"
export S3_BUCKET="${S3_BUCKET:-$ADRECS_S3_BUCKET}"
# Local credentials are generated once per S3 folder by scripts/s3.sh (ADRECS_S3_DIR, default
# .local/s3; never committed).
if [[ -f "${ADRECS_S3_DIR:-${ROOT:-.}/.local/s3}/credentials.env" ]]; then
  # shellcheck disable=SC1091
  source "${ADRECS_S3_DIR:-${ROOT:-.}/.local/s3}/credentials.env"
fi
