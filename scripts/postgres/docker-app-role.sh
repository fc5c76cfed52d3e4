#!/bin/sh
# Makes deskflow_app, the role the app and the webhook workers of docker-compose.yml run as:
# rows only, no schema changes (scripts/postgres/app-role.sql). The postgres image runs this
# on a new volume; for a volume made before, run it once:
#   docker compose up -d postgres && docker compose exec postgres sh /docker-entrypoint-initdb.d/20-deskflow-app-role.sh
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" -v owner="$POSTGRES_USER" -v app=deskflow_app -v app_password="$DESKFLOW_APP_PASSWORD" \
  -f /deskflow-sql/app-role.sql
