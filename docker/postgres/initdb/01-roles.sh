#!/bin/bash
# First start of the compose PostgreSQL (official image, runs once on an
# empty data directory as the superuser): the roles and database the API
# expects.
#   acc_owner   owns the database and its tables; runs migrations
#               (DATABASE_MIGRATION_URL). Not a superuser.
#   acc_app     the API at run time (DATABASE_URL, through PgBouncer):
#               LOGIN only; NOSUPERUSER NOBYPASSRLS, so row-level security
#               applies. Table grants come from the migrations.
#   acc_backup  scripts/backup.sh: BYPASSRLS + pg_read_all_data, read only.
#               (FORCEd row-level security hides every row from the owner
#               too, so pg_dump needs a role that bypasses it.)
set -euo pipefail
: "${ACC_OWNER_PASSWORD:?}" "${ACC_APP_PASSWORD:?}" "${ACC_BACKUP_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_pw="$ACC_OWNER_PASSWORD" -v app_pw="$ACC_APP_PASSWORD" -v backup_pw="$ACC_BACKUP_PASSWORD" <<'SQL'
CREATE ROLE acc_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE acc_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
CREATE ROLE acc_backup LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS PASSWORD :'backup_pw';
GRANT pg_read_all_data TO acc_backup;
CREATE DATABASE acc OWNER acc_owner;
REVOKE ALL ON DATABASE acc FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE acc TO acc_app;
GRANT CONNECT ON DATABASE acc TO acc_backup;
SQL
