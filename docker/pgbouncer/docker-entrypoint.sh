#!/bin/sh
# PgBouncer container entrypoint. The auth file comes either mounted at
# /etc/pgbouncer/userlist.txt (production: SCRAM secrets, see
# userlist.txt.example) or, when it is absent, is written here from
# ACC_APP_USER / ACC_APP_PASSWORD (+ optional PGBOUNCER_ADMIN_PASSWORD,
# PGBOUNCER_STATS_PASSWORD) for development with docker/compose.yaml.
set -eu
auth=/etc/pgbouncer/userlist.txt
if [ ! -s "$auth" ]; then
  : "${ACC_APP_PASSWORD:?set ACC_APP_PASSWORD or mount /etc/pgbouncer/userlist.txt}"
  q() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
  umask 077
  {
    printf '%s %s\n' "$(q "${ACC_APP_USER:-acc_app}")" "$(q "$ACC_APP_PASSWORD")"
    [ -z "${PGBOUNCER_ADMIN_PASSWORD:-}" ] || printf '"pgbouncer_admin" %s\n' "$(q "$PGBOUNCER_ADMIN_PASSWORD")"
    [ -z "${PGBOUNCER_STATS_PASSWORD:-}" ] || printf '"pgbouncer_stats" %s\n' "$(q "$PGBOUNCER_STATS_PASSWORD")"
  } >"$auth"
fi
exec "$@"
