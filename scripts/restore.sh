#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh (pg_dump -Fc) into a target
# database with pg_restore --clean --if-exists: every object in the archive
# is dropped (when present) and recreated, then filled with the archived rows.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/restore.sh --yes [options] BACKUP_FILE [TARGET_DATABASE_URL]

Restores BACKUP_FILE (a .dump written by scripts/backup.sh) into the target
database: pg_restore --clean --if-exists --exit-on-error, in one transaction
(all or nothing) unless --jobs is given. Objects of the target that are not in
the backup are left alone; objects in both are replaced by the backup's.

The target comes from, in order: the second argument, --url,
RESTORE_DATABASE_URL, DATABASE_URL. It must exist (create it first, e.g.
createdb -O acc_owner acc_restored). Restore as a superuser or as the
database owner: ownership and grants (the API role's) are restored as they
were backed up; if the target cluster lacks those roles, add --no-owner
and re-run the migrations' grants (node dist/apps/api/main.js migrate).
Stop the API (or point it elsewhere) while restoring over its database.

Options:
  -y, --yes           required: confirms that objects in the target are replaced
  -u, --url URL       target database
  -j, --jobs N        parallel restore with N jobs (not in one transaction)
      --no-owner      don't restore ownership (objects owned by the restoring role)
      --data-only     rows only, into an existing schema (no --clean)
      --list          show the archive's table of contents and exit
  -h, --help          this text

Examples:
  scripts/restore.sh --yes backups/acc-acc-20250101T021500Z.dump postgres://postgres@127.0.0.1:5432/acc
  createdb -h 127.0.0.1 -U postgres acc_check && \
    scripts/restore.sh --yes --no-owner backups/acc-acc-20250101T021500Z.dump postgres://postgres@127.0.0.1:5432/acc_check
Exit status: 0 on success, 1 on failure, 2 on bad usage.
EOF
}

url=""
file=""
yes=0
jobs=""
extra=()
list=0
data_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    -y | --yes) yes=1; shift ;;
    -u | --url) url="${2:?--url needs a value}"; shift 2 ;;
    -j | --jobs) jobs="${2:?--jobs needs a value}"; shift 2 ;;
    --no-owner) extra+=(--no-owner); shift ;;
    --data-only) data_only=1; shift ;;
    --list) list=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "restore.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *)
      if [ -z "$file" ]; then file="$1"
      elif [ -z "$url" ]; then url="$1"
      else echo "restore.sh: too many arguments" >&2; usage >&2; exit 2
      fi
      shift ;;
  esac
done
[ -n "$file" ] || { echo "restore.sh: no backup file given" >&2; usage >&2; exit 2; }
[ -f "$file" ] || { echo "restore.sh: $file: no such file" >&2; exit 1; }
command -v pg_restore >/dev/null || { echo "restore.sh: pg_restore not found (apt-get install postgresql-client)" >&2; exit 1; }

# Integrity first: the checksum written by backup.sh, then the archive itself.
if [ -f "$file.sha256" ]; then
  (cd "$(dirname "$file")" && sha256sum --check --status "$(basename "$file").sha256") ||
    { echo "restore.sh: $file does not match $file.sha256" >&2; exit 1; }
fi
pg_restore --list "$file" >/dev/null || { echo "restore.sh: $file is not a readable pg_dump archive" >&2; exit 1; }
if [ "$list" = 1 ]; then pg_restore --list "$file"; exit 0; fi

url="${url:-${RESTORE_DATABASE_URL:-${DATABASE_URL:-}}}"
[ -n "$url" ] || { echo "restore.sh: no target: pass a URL or set RESTORE_DATABASE_URL / DATABASE_URL" >&2; exit 2; }
[ "$yes" = 1 ] || { echo "restore.sh: this replaces objects in the target database; add --yes to go on" >&2; exit 2; }
if [ -n "$jobs" ]; then
  [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "restore.sh: --jobs must be a positive number" >&2; exit 2; }
fi

target="$(psql "$url" -v ON_ERROR_STOP=1 -qAtX -c 'SELECT current_database()')"
args=(--dbname="$url" --exit-on-error --no-password)
if [ "$data_only" = 1 ]; then
  # Rows into an existing schema: triggers off while loading (needs superuser).
  args+=(--data-only --disable-triggers)
else
  args+=(--clean --if-exists)
fi
if [ -n "$jobs" ]; then args+=(--jobs="$jobs"); else args+=(--single-transaction); fi
args+=("${extra[@]+"${extra[@]}"}")

echo "restore.sh: restoring $(basename "$file") into $target" >&2
start=$(date +%s)
pg_restore "${args[@]}" "$file"
# Fresh statistics for the planner.
psql "$url" -v ON_ERROR_STOP=1 -qAtX -c 'SET client_min_messages = error' -c 'ANALYZE' >/dev/null
echo "restore.sh: done in $(($(date +%s) - start)) s" >&2
