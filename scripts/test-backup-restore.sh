#!/usr/bin/env bash
# Test of scripts/backup.sh and scripts/restore.sh against the local
# PostgreSQL: a throwaway database shaped like the product's (tenant tables
# with FORCEd row-level security, jsonb, arrays, identity columns, a
# trigger, grants to a non-superuser API role) plus, when present, the real
# migrations/*.sql; rows in every table; then
#   backup (3x, keep 2) -> wipe -> restore -> compare row counts and content
#   checksums table by table, RLS flags, policies, grants, sequences;
#   restore into a second, new database; refuse a corrupt archive; refuse
#   to dump as a role that row-level security applies to.
# Drops everything it created. Ends with "N passed, N failed".
#
#   scripts/test-backup-restore.sh
#   ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres scripts/test-backup-restore.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
ADMIN_URL="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
base="${ADMIN_URL%/*}"

if ! pg_isready -d "$ADMIN_URL" -q 2>/dev/null; then
  echo "PostgreSQL is not answering at $ADMIN_URL; trying to start the local cluster"
  pg_ctlcluster --skip-systemctl-redirect 15 main start 2>/dev/null || true
  for _ in $(seq 30); do pg_isready -d "$ADMIN_URL" -q && break; sleep 1; done
fi
pg_isready -d "$ADMIN_URL" -q || { echo "no PostgreSQL at $ADMIN_URL" >&2; exit 1; }

s="$$_$RANDOM"
DB="acc_bt_$s"
DB2="acc_bt_copy_$s"
OWNER="acc_bt_owner_$s"
APP="acc_bt_app_$s"
BACKUP="acc_bt_backup_$s"
T="$(mktemp -d /tmp/acc-backup-test.XXXXXX)"
cleanup() {
  for d in "$DB" "$DB2"; do psql "$ADMIN_URL" -qAtX -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  for r in "$APP" "$BACKUP" "$OWNER"; do psql "$ADMIN_URL" -qAtX -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true; done
  rm -rf "$T"
}
trap cleanup EXIT

admin() { psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }
as() { local role="$1" db="$2"; shift 2; psql "$base/$db?user=$role" -v ON_ERROR_STOP=1 -qAtX "$@"; }
su() { local db="$1"; shift; psql "$base/$db" -v ON_ERROR_STOP=1 -qAtX "$@"; }

pass=0; fail=0
check() {
  local name="$1"; shift
  if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok   - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}

# ---- a database shaped like the product's --------------------------------
admin -c "CREATE ROLE $OWNER LOGIN NOSUPERUSER NOBYPASSRLS"
admin -c "CREATE ROLE $APP LOGIN NOSUPERUSER NOBYPASSRLS"
admin -c "CREATE ROLE $BACKUP LOGIN NOSUPERUSER BYPASSRLS"
admin -c "GRANT pg_read_all_data TO $BACKUP"
admin -c "CREATE DATABASE $DB OWNER $OWNER"

as "$OWNER" "$DB" <<SQL
CREATE TABLE bt_tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE bt_leads (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES bt_tenants (id) ON DELETE CASCADE,
  phone      text NOT NULL,
  tags       text[] NOT NULL DEFAULT '{}',
  custom     jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, phone)
);
CREATE INDEX bt_leads_tenant ON bt_leads (tenant_id, created_at DESC, id);
CREATE TABLE bt_calls (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES bt_tenants (id) ON DELETE CASCADE,
  lead_id    uuid NOT NULL REFERENCES bt_leads (id) ON DELETE CASCADE,
  transcript jsonb NOT NULL DEFAULT '[]',
  duration   integer,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION bt_touch() RETURNS trigger LANGUAGE plpgsql AS
\$\$ BEGIN NEW.updated_at := now(); RETURN NEW; END \$\$;
CREATE TRIGGER bt_calls_touch BEFORE UPDATE ON bt_calls FOR EACH ROW EXECUTE FUNCTION bt_touch();
DO \$\$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['bt_leads', 'bt_calls'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
  END LOOP;
END \$\$;
GRANT SELECT ON bt_tenants TO $APP;
GRANT SELECT, INSERT, UPDATE, DELETE ON bt_leads, bt_calls TO $APP;
GRANT USAGE ON SEQUENCE bt_calls_id_seq TO $APP;
SQL

# The product's own schema too, when this checkout has it (as the owner,
# like the migrate command).
migrations=0
if ls "$root"/migrations/*.sql >/dev/null 2>&1; then
  for f in "$root"/migrations/*.sql; do
    as "$OWNER" "$DB" -1 -f "$f" >/dev/null
    migrations=$((migrations + 1))
  done
  echo "applied $migrations migration file(s) from migrations/"
fi

# Rows, written as the superuser (row-level security does not apply to it).
su "$DB" <<'SQL'
INSERT INTO bt_tenants (name) SELECT 'tenant ' || g FROM generate_series(1, 5) g;
INSERT INTO bt_leads (tenant_id, phone, tags, custom)
  SELECT t.id, '+1555' || lpad((row_number() OVER ())::text, 7, '0'),
         ARRAY['tag' || (g % 3), 'vip'], jsonb_build_object('score', g, 'note', 'lead "' || g || '" ü')
  FROM bt_tenants t, generate_series(1, 400) g;
INSERT INTO bt_calls (tenant_id, lead_id, transcript, duration)
  SELECT l.tenant_id, l.id,
         jsonb_build_array(jsonb_build_object('role', 'agent', 'text', 'Hello'), jsonb_build_object('role', 'lead', 'text', 'Hi')),
         (random() * 600)::int
  FROM bt_leads l, generate_series(1, 2) g;
UPDATE bt_calls SET duration = duration + 1 WHERE id % 7 = 0;
SQL
# A tenant in the product's tables as well, if they exist.
if [ "$migrations" -gt 0 ] && [ "$(su "$DB" -c "SELECT to_regclass('public.tenants') IS NOT NULL")" = t ]; then
  su "$DB" -c "INSERT INTO tenants (name, slug) VALUES ('Backup Test Co', 'backup-test-co')" >/dev/null 2>&1 || true
fi

# Count and content checksum of every table, as the superuser.
snapshot() {
  su "$1" <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) || '':'' || coalesce(md5(string_agg(t::text, ''|'' ORDER BY t::text)), ''-'') FROM %I t',
              relname, relname)
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname
\gexec
SQL
}
security() {
  su "$1" -c "SELECT string_agg(format('%s rls=%s force=%s owner=%s', relname, relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner)), ', ' ORDER BY relname)
              FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'" \
          -c "SELECT count(*) || ' policies' FROM pg_policies WHERE schemaname = 'public'" \
          -c "SELECT string_agg(table_name || ':' || privilege_type, ',' ORDER BY table_name, privilege_type)
              FROM information_schema.role_table_grants WHERE grantee = '$APP'"
}
before="$(snapshot "$DB")"
before_sec="$(security "$DB")"
rows_before=$(su "$DB" -c "SELECT (SELECT count(*) FROM bt_tenants) + (SELECT count(*) FROM bt_leads) + (SELECT count(*) FROM bt_calls)")
echo "source: $(echo "$before" | wc -l) tables, $rows_before rows in the bt_* tables"

# ---- backups ------------------------------------------------------------------
dir="$T/backups"
backup_as() { "$root/scripts/backup.sh" --quiet --dir "$dir" --keep 2 "$base/$DB?user=$1"; }

check "usage text on --help" bash -c "'$root/scripts/backup.sh' --help | grep -q '^Usage: scripts/backup.sh'"
check "backup refuses to run without a database" bash -c "env -u DATABASE_URL -u BACKUP_DATABASE_URL '$root/scripts/backup.sh' --dir '$dir'; [ \$? = 2 ]"
if backup_as "$OWNER" >"$T/owner.out" 2>"$T/owner.err"; then owner_rc=0; else owner_rc=$?; fi
check "backup as the table owner FAILS (forced RLS hides rows; no silent empty dump)" \
  bash -c "[ $owner_rc != 0 ] && grep -q 'row-level security' '$T/owner.err' && ! ls '$dir'/*.dump"
if backup_as "$APP" >/dev/null 2>"$T/app.err"; then app_rc=0; else app_rc=$?; fi
check "backup as the API role FAILS as well" test "$app_rc" != 0

files=()
for i in 1 2 3; do
  files+=("$(backup_as "$BACKUP")")
  [ "$i" = 3 ] || sleep 1.1 # distinct timestamps in the names
done
check "3 backups as the BYPASSRLS backup role, named <prefix>-<db>-<UTC time>.dump" \
  bash -c "for f in ${files[*]}; do [[ \$(basename \$f) =~ ^acc-$DB-[0-9]{8}T[0-9]{6}Z\.dump\$ ]] || exit 1; done"
kept=$(ls "$dir"/*.dump | wc -l)
check "--keep 2 left the newest 2 backups ($kept)" bash -c "[ $kept = 2 ] && [ ! -e '${files[0]}' ] && [ -e '${files[1]}' ] && [ -e '${files[2]}' ]"
check "each kept backup has a matching .sha256" bash -c "cd '$dir' && sha256sum --check --status *.sha256 && [ \$(ls *.sha256 | wc -l) = 2 ]"
check "the archive is pg_dump custom format" bash -c "pg_restore --list '${files[2]}' | grep -q 'Format: CUSTOM'"
latest="${files[2]}"

# ---- wipe ------------------------------------------------------------------------
as "$OWNER" "$DB" -c "DROP TABLE bt_calls" -c "TRUNCATE bt_tenants CASCADE" -c "DROP FUNCTION bt_touch()"
if [ "$migrations" -gt 0 ]; then su "$DB" -c "DO \$\$ BEGIN IF to_regclass('public.tenants') IS NOT NULL THEN EXECUTE 'TRUNCATE tenants CASCADE'; END IF; END \$\$"; fi
wiped=$(su "$DB" -c "SELECT (SELECT count(*) FROM bt_tenants) + (SELECT count(*) FROM bt_leads)")
check "wiped: bt_calls dropped, other rows gone ($wiped left)" bash -c "[ $wiped = 0 ] && [ \"\$(psql '$base/$DB' -qAtX -c \"SELECT to_regclass('bt_calls') IS NULL\")\" = t ]"

# ---- restore ---------------------------------------------------------------------
check "restore refuses without --yes" bash -c "'$root/scripts/restore.sh' '$latest' '$base/$DB'; [ \$? = 2 ]"
cp "$latest" "$T/corrupt.dump"; cp "$latest.sha256" "$T/corrupt.dump.sha256"
sed -i "s/ $(basename "$latest")\$/ corrupt.dump/" "$T/corrupt.dump.sha256"
printf 'garbage' | dd of="$T/corrupt.dump" bs=1 seek=2000 conv=notrunc status=none
check "restore refuses an archive that fails its checksum" bash -c "! '$root/scripts/restore.sh' --yes '$T/corrupt.dump' '$base/$DB'"
check "... and left the wiped database untouched" bash -c "[ \"\$(psql '$base/$DB' -qAtX -c 'SELECT count(*) FROM bt_leads')\" = 0 ]"

# As the database owner (not a superuser), as an operator would.
"$root/scripts/restore.sh" --yes "$latest" "$base/$DB?user=$OWNER"
after="$(snapshot "$DB")"
after_sec="$(security "$DB")"
rows_after=$(su "$DB" -c "SELECT (SELECT count(*) FROM bt_tenants) + (SELECT count(*) FROM bt_leads) + (SELECT count(*) FROM bt_calls)")
echo "restored: $rows_after rows in the bt_* tables (before: $rows_before)"
diff <(echo "$before") <(echo "$after") >"$T/diff.txt" || true
check "row counts and content checksums equal in every table ($(echo "$after" | wc -l) tables)" test ! -s "$T/diff.txt"
[ -s "$T/diff.txt" ] && sed 's/^/    /' "$T/diff.txt"
check "bt_* row counts: $rows_after == $rows_before" test "$rows_after" = "$rows_before"
check "RLS enabled+forced flags, owners, policies and the API role's grants restored" test "$before_sec" = "$after_sec"
check "row-level security still isolates tenants for the API role" bash -c "
  t=\$(psql '$base/$DB' -qAtX -c 'SELECT id FROM bt_tenants ORDER BY name LIMIT 1')
  n=\$(psql '$base/$DB?user=$APP' -qAtX -c 'BEGIN' -c \"SELECT set_config('app.tenant_id', '\$t', true)\" -c 'SELECT count(*) FROM bt_leads' -c 'COMMIT' | sed -n 2p)
  z=\$(psql '$base/$DB?user=$APP' -qAtX -c 'SELECT count(*) FROM bt_leads')
  [ \"\$n\" = 400 ] && [ \"\$z\" = 0 ]"
check "identity sequence restored: a new call gets a fresh id" bash -c "
  psql '$base/$DB' -v ON_ERROR_STOP=1 -qAtX -c \"INSERT INTO bt_calls (tenant_id, lead_id) SELECT tenant_id, id FROM bt_leads LIMIT 1\""
check "trigger restored" bash -c "[ \"\$(psql '$base/$DB' -qAtX -c \"SELECT count(*) FROM pg_trigger WHERE tgname = 'bt_calls_touch'\")\" = 1 ]"

# Into a second, new database (e.g. a restore drill next to production).
admin -c "CREATE DATABASE $DB2 OWNER $OWNER"
"$root/scripts/restore.sh" --yes "$latest" "$base/$DB2"
copy="$(snapshot "$DB2")"
check "restore into a new empty database gives the same content" test "$copy" = "$before"
"$root/scripts/restore.sh" --yes "$latest" "$base/$DB2" 2>/dev/null
again="$(snapshot "$DB2")"
check "restoring the same archive again over it (--clean --if-exists) gives the same content" test "$again" = "$before"

echo "backup/restore: $pass passed, $fail failed"
[ "$fail" = 0 ]
