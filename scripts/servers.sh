#!/usr/bin/env bash
# Starts or stops every local server the project needs: PostgreSQL and SeaweedFS (S3).
# Usage: scripts/servers.sh start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
  start) "$ROOT/scripts/pg.sh" start; "$ROOT/scripts/s3.sh" start ;;
  stop) "$ROOT/scripts/s3.sh" stop; "$ROOT/scripts/pg.sh" stop ;;
  status) "$ROOT/scripts/pg.sh" status; "$ROOT/scripts/s3.sh" status ;;
  *) die "usage: scripts/servers.sh start|stop|status" ;;
esac
