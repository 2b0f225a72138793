import { Client } from 'pg';
import { adminUrl } from './test-database';

/**
 * Finds PostgreSQL for the API tests. When none answers, the suites run on
 * the embedded database instead, and say so.
 */
export default async function globalSetup(): Promise<void> {
  const url = adminUrl();
  if (!url) return;
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    const { rows } = await c.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'acc_test_%'`,
    );
    // leftovers of interrupted runs
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    process.stdout.write(`\nAPI tests: PostgreSQL at ${new URL(url).host}, as role acc_app\n`);
  } catch (e) {
    process.env['ACC_TEST_EMBEDDED'] = '1';
    process.stdout.write(
      `\nAPI tests: no PostgreSQL server reachable (${(e as Error).message}); ` +
        'running the suites on the embedded database (PGlite)\n',
    );
  } finally {
    await c.end().catch(() => undefined);
  }
}
