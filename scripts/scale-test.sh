#!/usr/bin/env bash
# Scale-out test (issue 6, item 9): the production topology on this host,
# loopback only, everything in a temp dir and stopped again on exit:
#
#   load (scripts/scale/load.mjs) -> nginx (docker/nginx/*.conf, test port)
#     -> API x2 (dist/apps/api/main.js, NODE_ENV=production)
#       -> PgBouncer (docker/pgbouncer/pgbouncer.ini, pool_mode = transaction, SCRAM)
#         -> PostgreSQL 15 (its own cluster, started and stopped by this script)
#
# A bounded mixed load of several tenants runs through nginx while the
# script SIGKILLs one API instance (and restarts it), stops PostgreSQL for a
# few seconds (pg_ctl stop -m fast; /health must go 503 and come back to 200
# without an API restart), and SIGTERMs an instance under load (it must
# finish its in-flight requests). Afterwards every write the API
# acknowledged with 2xx must be in the database. Prints the figures and
# PASS/FAIL per assertion; exits 1 on any FAIL, 2 when it cannot run.
#
#   npm run test:scale          (builds the API first)
#   bash scripts/scale-test.sh  (uses the existing dist/apps/api build)
#
# Root installs nginx and pgbouncer from Debian when missing (their system
# services are left stopped). Needs PostgreSQL 15 binaries in
# /usr/lib/postgresql/15/bin (PG_BIN), node 20. Redis at REDIS_URL is used
# when it answers (the API degrades without it). The machine's own
# PostgreSQL cluster is not touched.
#
# Knobs (environment): SCALE_DURATION (s, default 45), SCALE_CONCURRENCY (24),
# SCALE_TENANTS (5), SCALE_OUTAGE_SECONDS (5), SCALE_KEEP_TMP=1 (keep logs).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DURATION="${SCALE_DURATION:-45}"
CONCURRENCY="${SCALE_CONCURRENCY:-24}"
TENANTS="${SCALE_TENANTS:-5}"
OUTAGE="${SCALE_OUTAGE_SECONDS:-5}"
started_at=$(date +%s)

say() { printf '== %s\n' "$*"; }
die() { printf 'scale-test: %s\n' "$*" >&2; exit 2; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---- 1. packages -------------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || need_pkgs+=(pgbouncer)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
export PATH="$PATH:/usr/sbin:/sbin"
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  is_root || die "missing ${need_pkgs[*]} and not root: apt-get install -y ${need_pkgs[*]}"
  say "installing ${need_pkgs[*]} from Debian"
  # Keep the packages' own services from starting (policy-rc.d: 101 = action forbidden).
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  installed=1
  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null || installed=0
  if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi
  [ "$installed" = 1 ] || die "apt-get install ${need_pkgs[*]} failed"
  # In case a service manager started them anyway: stop the packaged services.
  for svc in "${need_pkgs[@]}"; do
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      systemctl disable --now "$svc" >/dev/null 2>&1 || true
    else
      service "$svc" stop >/dev/null 2>&1 || true
    fi
  done
fi
for bin in nginx pgbouncer node psql curl; do
  command -v "$bin" >/dev/null 2>&1 || die "missing $bin"
done
{ [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; } || die "no PostgreSQL binaries in $PG_BIN (apt-get install -y postgresql-15)"
[ -f dist/apps/api/main.js ] || die "no API build: run 'NX_DAEMON=false npx nx build api' (npm run test:scale does)"

# ---- temp dir, ports, cleanup ------------------------------------------------
T="$(mktemp -d /tmp/acc-scale.XXXXXX)"
chmod 755 "$T"
mkdir -p "$T/log" "$T/run"
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
PG_PORT=$(free_port)
PGB_PORT=$(free_port)
API1_PORT=$(free_port)
API2_PORT=$(free_port)
NGINX_PORT=$(free_port)
while [ "$PGB_PORT" = "$PG_PORT" ]; do PGB_PORT=$(free_port); done

# as the postgres user when root (initdb, postgres and pgbouncer refuse root)
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

declare -A api_pid=()
load_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$load_pid" ]; then kill -TERM "$load_pid" 2>/dev/null || true; fi
  for n in 1 2; do
    p="${api_pid[$n]:-}"
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
  done
  local daemons=()
  for f in "$T/nginx/run/nginx.pid" "$T/pgbouncer/pgbouncer.pid"; do
    if [ -f "$f" ]; then daemons+=("$(cat "$f")"); kill -TERM "${daemons[-1]}" 2>/dev/null || true; fi
  done
  if [ -f "$T/pg/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$T/pg/data" stop -m immediate -w -t 20 >/dev/null 2>&1 || true
  fi
  for n in 1 2; do
    p="${api_pid[$n]:-}"
    [ -n "$p" ] || continue
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  for p in "${daemons[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  if [ "${SCALE_KEEP_TMP:-0}" = 1 ]; then
    echo "(everything kept in $T)"
  elif [ "$rc" != 0 ]; then
    # Keep the logs of a failed run (not the database files).
    rm -rf "$T/pg/data" "$T/nginx/console"
    echo "(logs of this run kept in $T: log/, nginx/log/, pgbouncer/pgbouncer.log, pg/postgres.log)"
  else
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 2. PostgreSQL: own cluster ----------------------------------------------
say "PostgreSQL 15: own cluster on 127.0.0.1:$PG_PORT ($T/pg)"
mkdir -p "$T/pg/data" "$T/pg/sock"
is_root && chown -R postgres:postgres "$T/pg"
chmod 700 "$T/pg/data"
as_pg "$PG_BIN/initdb" -D "$T/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$T/log/initdb.log" 2>&1 || { cat "$T/log/initdb.log"; die "initdb failed"; }
PG_OPTS="-p $PG_PORT -k $T/pg/sock -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=64MB"
pg_start() { as_pg "$PG_BIN/pg_ctl" -D "$T/pg/data" -o "$PG_OPTS" -l "$T/pg/postgres.log" start -w -t 30 >/dev/null; }
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$T/pg/data" stop -m fast -w -t 30 >/dev/null; }
pg_start
su_psql() { psql -h "$T/pg/sock" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

OWNER_PW="owner-$RANDOM$RANDOM$RANDOM"
APP_PW="app-$RANDOM$RANDOM$RANDOM"
ADMIN_PW="admin-$RANDOM$RANDOM"
# The runbook's roles (docs/operations.md, "PostgreSQL roles and database").
su_psql -d postgres -v owner_pw="$OWNER_PW" -v app_pw="$APP_PW" <<'SQL'
CREATE ROLE acc_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE acc_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
CREATE DATABASE acc OWNER acc_owner;
REVOKE ALL ON DATABASE acc FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE acc TO acc_app;
SQL
OWNER_URL="postgres://acc_owner:$OWNER_PW@127.0.0.1:$PG_PORT/acc"
APP_URL="postgres://acc_app:$APP_PW@127.0.0.1:$PGB_PORT/acc"

JWT_SECRET="$(node -e 'console.log(require("crypto").randomBytes(48).toString("base64"))')"
say "migrations as acc_owner"
env -i PATH="$PATH" HOME="${HOME:-/root}" NODE_ENV=production JWT_SECRET="$JWT_SECRET" \
  DATABASE_MIGRATION_URL="$OWNER_URL" DATABASE_URL="$APP_URL" \
  node dist/apps/api/main.js migrate >"$T/log/migrate.log" 2>&1 || { cat "$T/log/migrate.log"; die "migrations failed"; }
tail -n 1 "$T/log/migrate.log" | sed 's/^/   /'

# ---- 3. PgBouncer --------------------------------------------------------------
say "PgBouncer (docker/pgbouncer/pgbouncer.ini, transaction pooling) on 127.0.0.1:$PGB_PORT"
mkdir -p "$T/pgbouncer"
sed -e "s#^acc = host=postgres port=5432 dbname=acc#acc = host=127.0.0.1 port=$PG_PORT dbname=acc#" \
  -e "s#^listen_addr = .*#listen_addr = 127.0.0.1#" \
  -e "s#^listen_port = .*#listen_port = $PGB_PORT#" \
  -e "s#^auth_file = .*#auth_file = $T/pgbouncer/userlist.txt#" \
  docker/pgbouncer/pgbouncer.ini >"$T/pgbouncer/pgbouncer.ini"
grep -q "^acc = host=127.0.0.1 port=$PG_PORT dbname=acc" "$T/pgbouncer/pgbouncer.ini" || die "pgbouncer.ini: no 'acc = host=postgres ...' line to rewrite"
grep -q '^pool_mode = transaction' "$T/pgbouncer/pgbouncer.ini" || die "pgbouncer.ini is not in transaction mode"
printf 'pidfile = %s\nlogfile = %s\n' "$T/pgbouncer/pgbouncer.pid" "$T/pgbouncer/pgbouncer.log" >>"$T/pgbouncer/pgbouncer.ini"
# userlist.txt as the runbook builds it: acc_app's SCRAM verifier from pg_authid.
su_psql -d postgres -c "SELECT format('\"%s\" \"%s\"', rolname, rolpassword) FROM pg_authid WHERE rolname = 'acc_app'" >"$T/pgbouncer/userlist.txt"
printf '"pgbouncer_admin" "%s"\n' "$ADMIN_PW" >>"$T/pgbouncer/userlist.txt"
grep -q 'SCRAM-SHA-256\$' "$T/pgbouncer/userlist.txt" || die "acc_app has no SCRAM verifier"
chmod 600 "$T/pgbouncer/userlist.txt"
is_root && chown -R postgres:postgres "$T/pgbouncer"
as_pg pgbouncer -d "$T/pgbouncer/pgbouncer.ini" >/dev/null
for _ in $(seq 50); do
  [ -f "$T/pgbouncer/pgbouncer.pid" ] && psql "$APP_URL" -qAtX -c 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.1
done
[ "$(psql "$APP_URL" -qAtX -c 'SELECT current_user')" = acc_app ] || die "acc_app cannot log in through PgBouncer"

# ---- API instances -------------------------------------------------------------
start_api() { # n port
  local n="$1" port="$2"
  env -i PATH="$PATH" HOME="${HOME:-/root}" \
    NODE_ENV=production API_HOST=127.0.0.1 API_PORT="$port" \
    DATABASE_URL="$APP_URL" DATABASE_APP_ROLE=acc_app MIGRATE_ON_BOOT=false \
    DATABASE_POOL_MAX=10 DATABASE_POOL_WAIT_MS=2000 \
    JWT_SECRET="$JWT_SECRET" REDIS_URL="$REDIS_URL" \
    LOG_LEVEL=warn SERVE_CONSOLE=false SEED_ON_EMPTY=false TRUST_PROXY=loopback \
    THROTTLE_AUTH_LIMIT=100000 THROTTLE_IP_LIMIT=100000 SHUTDOWN_GRACE_MS=10000 \
    APP_VERSION=scale-test \
    node dist/apps/api/main.js >>"$T/log/api-$n.log" 2>&1 &
  api_pid[$n]=$!
  echo "${api_pid[$n]}" >"$T/run/api-$n.pid"
}
wait_api() { # n port
  local n="$1" port="$2"
  for _ in $(seq 600); do
    kill -0 "${api_pid[$n]}" 2>/dev/null || { tail -n 20 "$T/log/api-$n.log" >&2; die "API $n exited during start"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ] && return 0
    sleep 0.1
  done
  die "API $n not healthy after 60 s"
}
say "two API instances on 127.0.0.1:$API1_PORT and :$API2_PORT (through PgBouncer as acc_app)"
start_api 1 "$API1_PORT"
start_api 2 "$API2_PORT"
wait_api 1 "$API1_PORT"
wait_api 2 "$API2_PORT"

# ---- nginx ---------------------------------------------------------------------
say "nginx (docker/nginx/*.conf) on 127.0.0.1:$NGINX_PORT"
N="$T/nginx"
mkdir -p "$N/etc" "$N/run" "$N/lib/tmp" "$N/lib/acme" "$N/log" "$N/console"
cp docker/nginx/*.conf "$N/etc/"
echo '<!doctype html><title>scale test</title>' >"$N/console/index.html"
for f in "$N"/etc/*.conf; do
  sed -i \
    -e "s#/run/ai-call-center-web#$N/run#g" \
    -e "s#/var/lib/ai-call-center-web#$N/lib#g" \
    -e "s#/var/log/ai-call-center-web#$N/log#g" \
    -e "s#/srv/ai-call-center/console#$N/console#g" \
    -e "s#listen 80 default_server;#listen 127.0.0.1:$NGINX_PORT default_server;#" \
    -e '/listen \[::\]:80 default_server;/d' \
    "$f"
done
# Test only: name the instance(s) nginx used in every proxied answer.
sed -i 's#^\(\s*\)proxy_next_upstream_timeout \(.*\)$#&\n\1add_header X-Upstream-Addr $upstream_addr always;#' "$N/etc/nginx.conf"
grep -q 'X-Upstream-Addr' "$N/etc/nginx.conf" || die "nginx.conf: could not add the X-Upstream-Addr header"
ACC_WEB_RUNTIME_DIR="$N/run" API_UPSTREAMS="127.0.0.1:$API1_PORT 127.0.0.1:$API2_PORT" \
  APP_VERSION=scale-test sh docker/nginx/render-runtime.sh >/dev/null
chmod -R a+rX "$N"
chmod -R a+rwX "$N/run" "$N/lib" "$N/log"
run_nginx=(nginx -p "$N/" -e "$N/log/error.log" -c "$N/etc/nginx.conf")
# Unprivileged master, as in the systemd unit and the container.
is_root && run_nginx=(runuser -u nobody -- "${run_nginx[@]}")
"${run_nginx[@]}" -t >"$T/log/nginx-t.log" 2>&1 || { cat "$T/log/nginx-t.log"; die "nginx -t failed"; }
"${run_nginx[@]}"
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/health")" = 200 ] && break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/health")" = 200 ] || die "nginx does not reach the API"

# ---- 4. load with faults ---------------------------------------------------------
say "tenants (sign-up through nginx)"
node scripts/scale/load.mjs setup --base "http://127.0.0.1:$NGINX_PORT" --tenants "$TENANTS" --out "$T/tenants.json"

now_ms() { date +%s%3N; }
ev() { printf '{"t":%s,"ev":"%s"%s}\n' "$(now_ms)" "$1" "${2:+,$2}" >>"$T/events.jsonl"; }
pids_json() { printf '"pids":"%s %s"' "${api_pid[1]}" "${api_pid[2]}"; }
: >"$T/events.jsonl"
# Fault timeline (seconds after the load starts), scaled to SCALE_DURATION.
at_kill=$((DURATION * 11 / 100))      # SIGKILL API 1, restart it 3 s later
at_pg=$((DURATION * 36 / 100))        # stop PostgreSQL for SCALE_OUTAGE_SECONDS
at_term=$((DURATION * 67 / 100))      # SIGTERM API 2 under load, then restart it
[ "$at_term" -ge $((at_pg + OUTAGE + 8)) ] || die "SCALE_DURATION too short for the timeline"
sleep_until() { local s=$(( load_t0 + $1 * 1000 - $(now_ms) )); [ "$s" -gt 0 ] && sleep "$(printf '%d.%03d' $((s / 1000)) $((s % 1000)))"; return 0; }

say "mixed load: ${DURATION} s, $CONCURRENCY concurrent clients, $TENANTS tenants, through nginx"
echo "   t+${at_kill}s SIGKILL API 1 (restart +3 s); t+${at_pg}s PostgreSQL stopped for ${OUTAGE} s; t+${at_term}s SIGTERM API 2 (restart after exit)"
load_t0=$(now_ms)
node scripts/scale/load.mjs run --base "http://127.0.0.1:$NGINX_PORT" \
  --health "http://127.0.0.1:$NGINX_PORT,http://127.0.0.1:$API1_PORT,http://127.0.0.1:$API2_PORT" \
  --tenants "$T/tenants.json" --duration "$DURATION" --concurrency "$CONCURRENCY" --out "$T/results.json" &
load_pid=$!

sleep_until "$at_kill"
ev kill.begin "\"pid\":${api_pid[1]}"
kill -KILL "${api_pid[1]}"
wait "${api_pid[1]}" 2>/dev/null || true
ev kill.done
sleep 3
start_api 1 "$API1_PORT"
wait_api 1 "$API1_PORT"
ev restart1.done "$(pids_json)"

sleep_until "$at_pg"
ev pg.stop.begin "$(pids_json)"
pg_stop
ev pg.stop.done
sleep "$OUTAGE"
ev pg.start.begin
pg_start
ev pg.start.done "$(pids_json)"
# Let the API recover on its own before the next fault (bounded; report.mjs measures it).
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API1_PORT/health")" = 200 ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API2_PORT/health")" = 200 ] && break
  sleep 0.1
done

sleep_until "$at_term"
ev term.begin "\"pid\":${api_pid[2]}"
kill -TERM "${api_pid[2]}"
code=0
wait "${api_pid[2]}" 2>/dev/null || code=$?
ev term.exited "\"code\":$code"
start_api 2 "$API2_PORT"
wait_api 2 "$API2_PORT"
ev restart2.done "$(pids_json)"

wait "$load_pid" || die "the load generator failed"

say "checks (database read as superuser)"
set +e
node scripts/scale/report.mjs --tenants "$T/tenants.json" --results "$T/results.json" --events "$T/events.jsonl" \
  --db "postgres://postgres@/acc?host=$T/pg/sock&port=$PG_PORT" --api1 "127.0.0.1:$API1_PORT" --api2 "127.0.0.1:$API2_PORT"
result=$?
set -e
echo "   (whole run: $(( $(date +%s) - started_at )) s)"
exit "$result"
