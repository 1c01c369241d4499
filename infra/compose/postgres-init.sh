#!/bin/sh
# Runs once, when the postgres service initializes an empty data volume: creates Airflow's own
# role and metadata database `airflow` next to the adrecs database.
set -eu
: "${AIRFLOW_DB_PASSWORD:?set AIRFLOW_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$AIRFLOW_DB_PASSWORD" <<'SQL'
CREATE ROLE airflow LOGIN PASSWORD :'pw';
CREATE DATABASE airflow OWNER airflow;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname airflow \
  -c 'GRANT ALL ON SCHEMA public TO airflow'
