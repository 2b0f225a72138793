#!/usr/bin/env bash
# Starts the Debian PgBouncer briefly on a spare 127.0.0.1 port with
# docker/pgbouncer/pgbouncer.ini (only host/port/database names changed) in
# front of the local PostgreSQL, and checks what the API relies on:
#   - the file parses, pool_mode is transaction;
#   - SCRAM auth with the secret copied from pg_authid (userlist.txt.example's way);
#   - why nothing may be session-level: a session set_config leaks to the
#     next client of the same server connection, a transaction-local one does not;
#   - 40 concurrent clients x 25 tenant transactions over a 5-connection
#     pool: 0 rows of another tenant seen, 0 errors (ops/tests/pgbouncer-check.js).
# Creates and drops its own database and role.
#   ops/tests/pgbouncer-smoke.sh   (needs pgbouncer, psql, node; PostgreSQL
#   superuser "postgres" on 127.0.0.1 with trust auth, or ADMIN_URL)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ADMIN_URL="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v pgbouncer >/dev/null || { echo "missing pgbouncer (apt-get install -y pgbouncer)" >&2; exit 2; }
if ! pg_isready -d "$ADMIN_URL" -q 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect 15 main start || true
  for _ in $(seq 30); do pg_isready -d "$ADMIN_URL" -q && break; sleep 1; done
fi

suffix="$$_$RANDOM"
DB="acc_pgb_smoke_$suffix"
ROLE="acc_pgb_app_$suffix"
APP_PASSWORD="app-$RANDOM-$RANDOM"
ADMIN_PASSWORD="admin-$RANDOM-$RANDOM"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
T="$(mktemp -d /tmp/acc-pgbouncer-smoke.XXXXXX)"
chmod 755 "$T"
admin() { psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }
dbq() { psql "${ADMIN_URL%/*}/$DB" -v ON_ERROR_STOP=1 -qAtX "$@"; }

cleanup() {
  if [ -f "$T/pgbouncer.pid" ]; then kill "$(cat "$T/pgbouncer.pid")" 2>/dev/null || true; sleep 0.5; fi
  admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  admin -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT

admin -c "CREATE ROLE $ROLE LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '$APP_PASSWORD'"
admin -c "CREATE DATABASE $DB"
dbq <<SQL
CREATE TABLE items (
  id        bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL,
  note      text NOT NULL
);
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON items
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON items TO $ROLE;
GRANT USAGE ON SEQUENCE items_id_seq TO $ROLE;
SQL
TENANTS="$(for _ in 1 2 3 4; do cat /proc/sys/kernel/random/uuid; done | paste -sd, -)"

# The repository's file, pointed at this machine's PostgreSQL and test database.
sed -e "s#^acc = host=postgres port=5432 dbname=acc#acc = host=127.0.0.1 port=5432 dbname=$DB\nacc_one = host=127.0.0.1 port=5432 dbname=$DB pool_size=1#" \
    -e "s#^listen_addr = .*#listen_addr = 127.0.0.1#" \
    -e "s#^listen_port = .*#listen_port = $PORT#" \
    -e "s#^auth_file = .*#auth_file = $T/userlist.txt#" \
    -e "s#^default_pool_size = .*#default_pool_size = 5#" \
    "$root/docker/pgbouncer/pgbouncer.ini" >"$T/pgbouncer.ini"
printf 'pidfile = %s\nlogfile = %s\n' "$T/pgbouncer.pid" "$T/pgbouncer.log" >>"$T/pgbouncer.ini"
# The auth file as userlist.txt.example says: the SCRAM verifier from pg_authid.
admin -c "SELECT format('\"%s\" \"%s\"', rolname, rolpassword) FROM pg_authid WHERE rolname = '$ROLE'" >"$T/userlist.txt"
printf '"pgbouncer_admin" "%s"\n' "$ADMIN_PASSWORD" >>"$T/userlist.txt"
grep -q 'SCRAM-SHA-256\$' "$T/userlist.txt"
chown -R postgres:postgres "$T" 2>/dev/null || true
chmod 600 "$T/userlist.txt"

start=(pgbouncer -d "$T/pgbouncer.ini")
[ "$(id -u)" = 0 ] && start=(runuser -u postgres -- "${start[@]}")
"${start[@]}"
for _ in $(seq 50); do [ -f "$T/pgbouncer.pid" ] && pg_isready -h 127.0.0.1 -p "$PORT" -q && break; sleep 0.1; done

pass=0; fail=0
check() {
  local name="$1"; shift
  if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok   - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}
APP="postgres://$ROLE:$APP_PASSWORD@127.0.0.1:$PORT"
pgb_admin() { PGPASSWORD="$ADMIN_PASSWORD" psql -h 127.0.0.1 -p "$PORT" -U pgbouncer_admin -qAtX pgbouncer -c "$1"; }

no_config_warnings() { ! grep -Ei 'unknown parameter|invalid|deprecated|syntax error' "$T/pgbouncer.log"; }
check "pgbouncer started from docker/pgbouncer/pgbouncer.ini" test -f "$T/pgbouncer.pid"
check "no unknown/invalid/deprecated setting in its log" no_config_warnings
pool_mode_is_transaction() { pgb_admin 'SHOW CONFIG' | grep -q '^pool_mode|transaction|'; }
app_login() { [ "$(psql "$APP/acc" -qAtX -c 'SELECT current_user')" = "$ROLE" ]; }
wrong_password_refused() { ! psql "postgres://$ROLE:wrong@127.0.0.1:$PORT/acc" -qAtX -c 'SELECT 1'; }
pool_listed() { pgb_admin 'SHOW POOLS' | grep -q "^acc|$ROLE|"; }
check "SHOW CONFIG: pool_mode = transaction" pool_mode_is_transaction
check "API role logs in through PgBouncer with SCRAM" app_login
check "wrong password refused" wrong_password_refused

A="${TENANTS%%,*}"
dbq -c "INSERT INTO items (tenant_id, note) SELECT '$A', 'seed' FROM generate_series(1, 3)"
# acc_one: a single server connection, so consecutive clients share it.
leak_session=$(psql "$APP/acc_one" -qAtX -c "SELECT set_config('app.tenant_id', '$A', false)" >/dev/null && psql "$APP/acc_one" -qAtX -c "SELECT count(*) FROM items")
check "session-level set_config LEAKS to the next client ($leak_session rows seen): why the API never uses it" test "$leak_session" = 3
psql "$APP/acc_one" -qAtX -c "RESET app.tenant_id" >/dev/null
leak_local=$(psql "$APP/acc_one" -qAtX -c "BEGIN" -c "SELECT set_config('app.tenant_id', '$A', true)" -c "COMMIT" >/dev/null && psql "$APP/acc_one" -qAtX -c "SELECT count(*) FROM items")
check "transaction-local set_config does not leak ($leak_local rows seen)" test "$leak_local" = 0
dbq -c "DELETE FROM items"

out=$(PGB_URL="$APP/acc" TENANTS="$TENANTS" NODE_PATH="$root/node_modules" node "$here/pgbouncer-check.js" 2>&1) && ok=0 || ok=1
echo "  concurrency: $out"
check "40 clients x 25 tenant transactions via 5 server connections: 0 mismatches, 0 errors" test "$ok" = 0
check "SHOW POOLS lists the acc pool" pool_listed
sv=$(dbq -c "SELECT count(*) FROM pg_stat_activity WHERE usename = '$ROLE'")
check "server connections used stayed within the pools ($sv <= 6)" test "$sv" -le 6

sed -n '1,5p' "$T/pgbouncer.log" | sed 's/^/  log: /'
echo "pgbouncer smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
