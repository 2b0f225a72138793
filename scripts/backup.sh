#!/usr/bin/env bash
# Backs up the AI Call Center database with pg_dump in custom format (-Fc:
# compressed, restorable selectively and in parallel by scripts/restore.sh),
# into a dated file, and keeps only the newest N backups of that database.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/backup.sh [options] [DATABASE_URL]

Writes DIR/PREFIX-<database>-<UTC yyyymmddThhmmssZ>.dump (pg_dump -Fc) plus a
.sha256 beside it, verifies the archive is readable (pg_restore --list), then
deletes all but the newest KEEP backups of the same PREFIX and database.

The database URL comes from, in order: the argument, --url, BACKUP_DATABASE_URL,
DATABASE_URL. Use a role that bypasses row-level security (superuser or
BYPASSRLS, e.g. acc_backup in docker/postgres/initdb/01-roles.sh): the tenant
tables FORCE row-level security, so for any other role pg_dump stops with
"query would be affected by row-level security policy" (and this script
fails; it never writes a silently empty backup). Don't point it at PgBouncer
in transaction mode: dump directly from PostgreSQL.

Options:
  -u, --url URL       database to back up
  -d, --dir DIR       backup directory (default: $BACKUP_DIR or ./backups)
  -k, --keep N        backups to keep, newest first (default: $BACKUP_KEEP or 14; 0 = keep all)
  -p, --prefix NAME   file name prefix (default: acc)
  -q, --quiet         print only the path of the new backup
  -h, --help          this text

Examples:
  scripts/backup.sh postgres://acc_backup@127.0.0.1:5432/acc
  BACKUP_DATABASE_URL=postgres://... scripts/backup.sh --dir /var/backups/acc --keep 30
  # cron, daily at 02:15:  15 2 * * *  acc-backup /opt/ai-call-center/scripts/backup.sh -q -d /var/backups/acc
Exit status: 0 on success, 1 on failure (nothing left behind), 2 on bad usage.
EOF
}

url=""
dir="${BACKUP_DIR:-./backups}"
keep="${BACKUP_KEEP:-14}"
prefix="acc"
quiet=0
while [ $# -gt 0 ]; do
  case "$1" in
    -u | --url) url="${2:?--url needs a value}"; shift 2 ;;
    -d | --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    -k | --keep) keep="${2:?--keep needs a value}"; shift 2 ;;
    -p | --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    -q | --quiet) quiet=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "backup.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$url" ] || { echo "backup.sh: more than one database URL" >&2; exit 2; }; url="$1"; shift ;;
  esac
done
url="${url:-${BACKUP_DATABASE_URL:-${DATABASE_URL:-}}}"
[ -n "$url" ] || { echo "backup.sh: no database: pass a URL or set BACKUP_DATABASE_URL / DATABASE_URL" >&2; usage >&2; exit 2; }
[[ "$keep" =~ ^[0-9]+$ ]] || { echo "backup.sh: --keep must be a number (got '$keep')" >&2; exit 2; }
[[ "$prefix" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "backup.sh: --prefix may hold letters, digits, . _ - only" >&2; exit 2; }
for bin in pg_dump pg_restore psql; do
  command -v "$bin" >/dev/null || { echo "backup.sh: $bin not found (apt-get install postgresql-client)" >&2; exit 1; }
done

log() { [ "$quiet" = 1 ] || echo "backup.sh: $*" >&2; }

# The connection works and tells us the database's name (for the file name).
db="$(psql "$url" -v ON_ERROR_STOP=1 -qAtX -c 'SELECT current_database()')"
[[ "$db" =~ ^[A-Za-z0-9._-]+$ ]] || db="$(printf '%s' "$db" | tr -c 'A-Za-z0-9._-' '_')"

mkdir -p "$dir"
umask 077
# One backup at a time per directory.
exec 9>"$dir/.backup.lock"
if command -v flock >/dev/null; then
  flock -n 9 || { echo "backup.sh: another backup is running in $dir" >&2; exit 1; }
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$dir/$prefix-$db-$stamp.dump"
[ ! -e "$file" ] || { echo "backup.sh: $file already exists" >&2; exit 1; }
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

log "dumping $db to $file"
start=$(date +%s)
pg_dump --dbname="$url" --format=custom --compress=6 --no-password --file="$partial"
# A truncated or corrupt archive fails here, before it replaces anything.
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
trap - EXIT
(cd "$dir" && sha256sum "$(basename "$file")" >"$(basename "$file").sha256")
size=$(wc -c <"$file")
log "done in $(($(date +%s) - start)) s, $size bytes"

if [ "$keep" -gt 0 ]; then
  # Dated names sort chronologically; delete everything older than the newest $keep.
  # (Plain bash globbing, no GNU find: also runs in the postgres:alpine image.)
  shopt -s nullglob
  all=("$dir/$prefix-$db-"*.dump)
  shopt -u nullglob
  excess=$((${#all[@]} - keep))
  for ((i = 0; i < excess; i++)); do
    rm -f "${all[$i]}" "${all[$i]}.sha256"
    log "removed old backup $(basename "${all[$i]}")"
  done
fi

echo "$file"
