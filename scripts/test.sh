#!/usr/bin/env bash
# `npm test`: lint, format check, unit and API tests against PostgreSQL,
# production builds, then the browser suite against the built API + console,
# and the scale-out test (scripts/scale-test.sh) where nginx/pgbouncer can run.
# PostgreSQL comes from TEST_DATABASE_URL or the local server; with none
# reachable, the API suites run on the embedded database (and say so) and
# the browser suite, which needs a server, is skipped with a notice.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI="${CI:-true}"

admin_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if node -e "
  const { Client } = require('pg');
  const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
" "$admin_url"; then
  have_postgres=1
  echo "== PostgreSQL: $(node -e "console.log(new URL(process.argv[1]).host)" "$admin_url")"
else
  have_postgres=0
  export ACC_TEST_EMBEDDED=1
  echo "== No PostgreSQL server reachable: API suites run on the embedded database (PGlite)"
fi

echo "== lint"
npx nx run-many -t lint --outputStyle=static
npx prettier --check . --log-level warn

if [ "$have_postgres" = 1 ]; then
  # the database-setup matrix runs PgBouncer; without it that suite fails and says why
  bash scripts/ensure-pgbouncer.sh || true
fi

echo "== unit and API tests"
npx nx run-many -t test --outputStyle=static -- --ci

echo "== production builds"
npx nx run-many -t build --outputStyle=static

if [ "$have_postgres" = 1 ]; then
  echo "== browser tests (Playwright + Debian Chromium)"
  bash scripts/ensure-chromium.sh
  npx playwright test -c apps/console-e2e/playwright.config.mts
else
  echo "== browser tests skipped: they need a PostgreSQL server (set TEST_DATABASE_URL)"
fi

if [ "$have_postgres" = 1 ] && command -v pg_dump >/dev/null 2>&1; then
  echo "== backup and restore (scripts/backup.sh, scripts/restore.sh)"
  bash scripts/test-backup-restore.sh
fi

# Scale-out test (about a minute): nginx + PgBouncer + two API instances + its
# own PostgreSQL 15, with an instance killed, the database stopped and a
# drain under load. Root installs nginx/pgbouncer from Debian when missing.
pg15_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ "${ACC_SKIP_SCALE_TEST:-0}" = 1 ]; then
  echo "== scale-out test skipped (ACC_SKIP_SCALE_TEST=1)"
elif [ ! -x "$pg15_bin/initdb" ]; then
  echo "== scale-out test skipped: no PostgreSQL 15 binaries in $pg15_bin (apt-get install -y postgresql-15)"
elif [ "$(id -u)" = 0 ] || { command -v nginx && command -v pgbouncer; } >/dev/null 2>&1 ||
  { [ -x /usr/sbin/nginx ] && [ -x /usr/sbin/pgbouncer ]; }; then
  echo "== scale-out test (nginx, PgBouncer, 2 API instances, faults under load)"
  bash scripts/scale-test.sh
else
  echo "== scale-out test skipped: needs nginx and pgbouncer (apt-get install -y nginx pgbouncer) or root to install them"
fi
echo "== all tests passed"
