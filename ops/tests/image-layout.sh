#!/usr/bin/env bash
# Rehearses docker/Dockerfile.api's runtime stage without a Docker engine:
# assembles the same /app layout in a temp dir from the current builds
# (dist/apps/api, dist/apps/console/browser), migrations/, package.json and
# ONLY the production node_modules (the packages `npm ls --omit=dev` lists,
# hard-linked: what `npm ci --omit=dev` installs from the same lock file),
# then, as an unprivileged uid like the image's USER 10001, with the image's
# ENV:
#   - every package main.js and its chunks require is a production dependency;
#   - `node dist/apps/api/main.js --version`;
#   - `node dist/apps/api/main.js migrate` as a throwaway owner role against
#     the local PostgreSQL (the compose "migrate" service);
#   - starts the API as a separate non-superuser role with MIGRATE_ON_BOOT=false,
#     runs docker/healthcheck.js (the HEALTHCHECK), fetches /, /config.json,
#     /api/docs, /metrics (promtool check metrics);
#   - SIGTERM: exits by itself within SHUTDOWN_GRACE_MS.
# Build first: npx nx build api && npx nx build console
# EXTRA_PACKAGES="node_modules/x ..." adds packages to the production tree
# (to see the rest of the checks while a dependency is still undeclared).
#   ops/tests/image-layout.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ADMIN_URL="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
base="${ADMIN_URL%/*}"
UID_IMAGE="${UID_IMAGE:-10001}"
[ -f "$root/dist/apps/api/main.js" ] || { echo "no dist/apps/api/main.js: run npx nx build api" >&2; exit 2; }
[ -f "$root/dist/apps/console/browser/index.html" ] || { echo "no console build: run npx nx build console" >&2; exit 2; }

T="$(mktemp -d /tmp/acc-image-layout.XXXXXX)"
chmod 755 "$T"
s="$$_$RANDOM"
DB="acc_il_$s"; OWNER="acc_il_owner_$s"; APPROLE="acc_il_app_$s"; APPPW="pw$RANDOM$RANDOM"
api_pid=""
cleanup() {
  [ -z "$api_pid" ] || kill "$api_pid" 2>/dev/null || true
  psql "$ADMIN_URL" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$ADMIN_URL" -qAtX -c "DROP ROLE IF EXISTS $APPROLE" -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT
pass=0; fail=0
check() {
  local name="$1"; shift
  if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok   - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}

# ---- the image's /app ---------------------------------------------------------
app="$T/app"
mkdir -p "$app/dist/apps" "$app/docker" "$app/data"
cp -a "$root/dist/apps/api" "$app/dist/apps/api"
mkdir -p "$app/dist/apps/console"
cp -a "$root/dist/apps/console/browser" "$app/dist/apps/console/browser"
cp -a "$root/migrations" "$app/migrations"
cp "$root/package.json" "$root/package-lock.json" "$app/"
cp "$root/docker/healthcheck.js" "$app/docker/"
{ (cd "$root" && npm ls --omit=dev --all --parseable 2>/dev/null) || true; } | tail -n +2 | sed "s#^$root/##" | sort -u >"$T/prod-packages.txt"
while read -r rel; do
  [ -d "$root/$rel" ] || continue
  mkdir -p "$app/$(dirname "$rel")"
  [ -e "$app/$rel" ] || cp -al "$root/$rel" "$app/$rel" 2>/dev/null || cp -a "$root/$rel" "$app/$rel"
done < <(cat "$T/prod-packages.txt"
         # EXTRA_PACKAGES and, recursively, their dependencies as resolved in the full tree.
         [ -z "${EXTRA_PACKAGES:-}" ] || (cd "$root" && node -e '
           const fs = require("fs"), path = require("path"), seen = new Set();
           const add = (dir) => { if (seen.has(dir)) return; seen.add(dir);
             const pkg = require(path.join(dir, "package.json"));
             for (const d of Object.keys(pkg.dependencies || {})) {
               // Node resolution by hand (package.json may be hidden by "exports").
               for (let up = dir; ; up = path.dirname(up)) {
                 const c = path.join(up, "node_modules", d);
                 if (fs.existsSync(path.join(c, "package.json"))) { add(c); break; }
                 if (up === process.cwd() || up === path.dirname(up)) break;
               }
             } };
           for (const x of process.argv.slice(1)) add(path.resolve(x));
           for (const d of seen) console.log(path.relative(process.cwd(), d));' ${EXTRA_PACKAGES}))
# A hoisted package nested inside another copied package comes along with it;
# nothing else from the dev tree does.
echo "production packages: $(wc -l <"$T/prod-packages.txt") (node_modules: $(du -sh "$app/node_modules" | cut -f1))"
chown -R "$UID_IMAGE:$UID_IMAGE" "$app/data"
chmod -R a+rX "$app"

# Every bare module the bundle loads resolves inside the production tree.
missing="$(cd "$app" && node -e '
  const fs = require("fs"), path = require("path"), { builtinModules } = require("module");
  const dir = "dist/apps/api"; const mods = new Set();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".js")))
    for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/require\(\s*"([^"./][^"]*)"\s*\)/g)) mods.add(m[1]);
  const bad = [...mods].filter((m) => !builtinModules.includes(m.replace(/^node:/, "")) && !m.startsWith("node:"))
    .filter((m) => { try { require.resolve(m, { paths: [process.cwd()] }); return false; } catch { return true; } });
  console.log(`${mods.size} modules required`); if (bad.length) console.log("MISSING " + bad.join(" "));
')"
echo "  $missing" | head -3
check "every package the bundle requires is a production dependency" bash -c "! grep -q MISSING <<<'$missing'"

# Like USER 10001 + WORKDIR /app + the image's ENV. Used as
#   (cd "$app" && exec "${image_env[@]}" VAR=... "${as_image_user[@]}" node ...)
# so that the background job's pid is node's own.
image_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent
  NODE_ENV=production APP_VERSION=9.9.9-layout API_HOST=127.0.0.1 LOG_FORMAT=json
  MIGRATIONS_DIR="$app/migrations" CONSOLE_DIST="$app/dist/apps/console/browser" DATA_DIR="$app/data"
  SERVE_CONSOLE=true)
as_image_user=(setpriv --reuid="$UID_IMAGE" --regid="$UID_IMAGE" --clear-groups --no-new-privs)
run_as_image() { (cd "$app" && exec "${image_env[@]}" "$@" "${as_image_user[@]}" node "${NODE_ARGS[@]}"); }
NODE_ARGS=(dist/apps/api/main.js --version)
ver="$(run_as_image 2>&1 || true)"
check "--version as uid $UID_IMAGE prints the version ($ver)" test "$ver" = 9.9.9-layout

# ---- migrate as the owner, then serve as the app role --------------------------
psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAtX \
  -c "CREATE ROLE $OWNER LOGIN NOSUPERUSER NOBYPASSRLS" \
  -c "CREATE ROLE $APPROLE LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '$APPPW'" \
  -c "CREATE DATABASE $DB OWNER $OWNER"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
SECRET="layout-test-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
common=(API_PORT="$PORT" JWT_SECRET="$SECRET" DATABASE_URL="postgres://$APPROLE:$APPPW@127.0.0.1:5432/$DB"
        DATABASE_APP_ROLE="$APPROLE" SHUTDOWN_GRACE_MS=5000 LOG_LEVEL=warn)
NODE_ARGS=(dist/apps/api/main.js migrate)
if run_as_image "${common[@]}" DATABASE_MIGRATION_URL="$base/$DB?user=$OWNER" >"$T/migrate.log" 2>&1; then mig=0; else mig=$?; fi
check "migrate command as the owner role (exit $mig)" test "$mig" = 0
[ "$mig" = 0 ] || sed 's/^/    /' "$T/migrate.log" | tail -5
check "migrations recorded in schema_migrations" bash -c "[ \"\$(psql '$base/$DB' -qAtX -c 'SELECT count(*) FROM schema_migrations')\" -ge 1 ]"

NODE_ARGS=(dist/apps/api/main.js)
(cd "$app" && exec "${image_env[@]}" "${common[@]}" MIGRATE_ON_BOOT=false "${as_image_user[@]}" node dist/apps/api/main.js) >"$T/api.log" 2>&1 &
api_pid=$!
healthy=1
for _ in $(seq 60); do
  if (cd "$app" && API_PORT=$PORT node docker/healthcheck.js) >"$T/hc.out" 2>&1; then healthy=0; break; fi
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 0.5
done
check "HEALTHCHECK (docker/healthcheck.js) passes: $(cat "$T/hc.out")" test "$healthy" = 0
[ "$healthy" = 0 ] || tail -n 20 "$T/api.log" | sed 's/^/    /'
H="http://127.0.0.1:$PORT"
check "process runs as uid $UID_IMAGE" bash -c "[ \"\$(stat -c %u /proc/$api_pid)\" = $UID_IMAGE ]"
check "/ serves the console (SERVE_CONSOLE=true)" bash -c "curl -fsS $H/ | grep -q '<app-root'"
check "/config.json answers the console's settings" bash -c "curl -fsS $H/config.json | grep -q '\"appVersion\":\"9.9.9-layout\"'"
check "/api/docs serves Swagger UI" bash -c "curl -fsSL $H/api/docs | grep -qi swagger"
check "/health reports healthy with the version" bash -c "curl -fsS $H/health | grep -q '\"status\":\"healthy\"'"
if command -v promtool >/dev/null; then
  curl -fsS "$H/metrics" >"$T/metrics.txt" || true
  # prom-client's default gauges nodejs_active_{handles,requests,resources}_total keep
  # their upstream names (dashboards know them); every metric of ours must lint clean.
  check "/metrics passes promtool check metrics" bash -c "[ -s '$T/metrics.txt' ] && grep -v '^\(# [A-Z]* \)\?nodejs_active_[a-z]*_total' '$T/metrics.txt' | promtool check metrics"
  for m in http_request_duration_seconds_bucket db_pool_in_use db_pool_waiting db_pool_size acc_active_tenants acc_active_users; do
    check "/metrics exports $m" grep -q "^$m" "$T/metrics.txt"
  done
fi
check "HEALTHCHECK fails when nothing listens" bash -c "! (cd '$app' && API_PORT=1 node docker/healthcheck.js)"

t0=$(date +%s%N)
kill -TERM "$api_pid" 2>/dev/null || true
stopped=1
for _ in $(seq 100); do kill -0 "$api_pid" 2>/dev/null || { stopped=0; break; }; sleep 0.1; done
wait "$api_pid" 2>/dev/null && rc=0 || rc=$?
api_pid=""
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "SIGTERM: exits by itself in ${ms} ms (exit $rc)" bash -c "[ $stopped = 0 ] && [ $rc = 0 ]"

echo "image layout: $pass passed, $fail failed"
[ "$fail" = 0 ]
