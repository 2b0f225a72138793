import { Client } from 'pg';
import { cannotRunHere } from './skips';
import { adminUrl } from './test-database';

/** acc_test_<pid>_... (a database) or acc_setup_<pid>_... (a role): left over when the process that created it is gone. */
function isLeftover(name: string): boolean {
  const pid = Number(/^acc_(?:test|setup)_(\d+)_/.exec(name)?.[1]);
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Finds PostgreSQL for the API tests. When none answers, the suites run on
 * the embedded database instead and say so (on CI: a failure).
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
    // leftovers of interrupted runs; never the databases of a run still going on
    for (const r of rows) {
      if (!isLeftover(r.datname)) continue;
      await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    }
    // roles of database-setups.api.spec.ts, once their databases are gone
    const roles = await c.query(
      `SELECT rolname FROM pg_roles WHERE rolname LIKE 'acc\\_setup\\_%'`,
    );
    for (const r of roles.rows) {
      if (isLeftover(r.rolname))
        await c.query(`DROP ROLE IF EXISTS ${r.rolname}`).catch(() => undefined);
    }
    process.stdout.write(`\nAPI tests: PostgreSQL at ${new URL(url).host}, as role acc_app\n`);
  } catch (e) {
    // on CI this throws: a run that quietly fell back to PGlite would prove less than it says
    cannotRunHere(
      `the API suites on PostgreSQL at ${new URL(url).host} (${(e as Error).message}); ` +
        'they run on the embedded database (PGlite) instead',
    );
    process.env['ACC_TEST_EMBEDDED'] = '1';
  } finally {
    await c.end().catch(() => undefined);
  }
}
