import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../database/embedded';
import { runMigrations } from '../database/database.service';

export const APP_ROLE = 'acc_app';
/** ACC_TEST_MIGRATIONS_DIR: a scratch copy of migrations/, e.g. with one policy broken on purpose. */
export const MIGRATIONS_DIR =
  process.env['ACC_TEST_MIGRATIONS_DIR'] ?? join(__dirname, '..', '..', '..', '..', 'migrations');
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Where the tests find PostgreSQL: TEST_DATABASE_URL, else the local server, else embedded. */
export function adminUrl(): string | null {
  if (process.env['ACC_TEST_EMBEDDED'] === '1') return null;
  return process.env['TEST_DATABASE_URL'] ?? DEFAULT_ADMIN_URL;
}

export interface TestDatabase {
  /** Owner/superuser connection: migrations and assertions that must see every row. */
  ownerUrl: string;
  /** The API role (non-superuser, no BYPASSRLS): what the API connects as. */
  appUrl: string;
  embedded: boolean;
  drop(): Promise<void>;
}

function withDatabase(url: string, db: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

/**
 * The migrations before `first` only, copied to a directory of their own: a
 * database left there holds data as older code wrote it, for a test of the
 * upgrade (migrateFully).
 */
function migrationsBefore(first: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'acc-migrations-'));
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < first))
    copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

/**
 * A throwaway database, migrated, with the API role granted; dropped by drop().
 * On a machine with no PostgreSQL server, an embedded PGlite stands in (its
 * single session is superuser, so the API switches role per transaction).
 * `migrateBefore`: only the migrations whose file names sort before it.
 */
export async function createTestDatabase(
  opts: { migrateBefore?: string } = {},
): Promise<TestDatabase> {
  const dir = opts.migrateBefore ? migrationsBefore(opts.migrateBefore) : MIGRATIONS_DIR;
  try {
    return await createMigratedDatabase(dir);
  } finally {
    if (dir !== MIGRATIONS_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies every migration not applied yet (after createTestDatabase with migrateBefore). */
export async function migrateFully(db: TestDatabase): Promise<void> {
  await runMigrations(db.ownerUrl, {
    dir: MIGRATIONS_DIR,
    appRole: APP_ROLE,
    runtimeUser: db.embedded ? undefined : APP_ROLE,
  });
}

async function createMigratedDatabase(dir: string): Promise<TestDatabase> {
  const admin = adminUrl();
  if (!admin) return createEmbeddedTestDatabase(dir);
  // the creating process's id lets global-setup tell leftovers from a concurrent run's databases
  const name = `acc_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const ownerUrl = withDatabase(admin, name);
  // the API connects as acc_app itself (appUrl), so the role may log in
  await runMigrations(ownerUrl, { dir, appRole: APP_ROLE, runtimeUser: APP_ROLE });
  return {
    ownerUrl,
    appUrl: withDatabase(admin, name, APP_ROLE),
    embedded: false,
    async drop() {
      const c = new Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function createEmbeddedTestDatabase(migrations: string): Promise<TestDatabase> {
  const dir = `${join(__dirname, '..', '..', '..', '..', 'tmp')}/test-pglite-${randomBytes(6).toString('hex')}`;
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase(dir, 20);
  await runMigrations(embedded.url, { dir: migrations, appRole: APP_ROLE });
  return {
    ownerUrl: embedded.url,
    appUrl: embedded.url,
    embedded: true,
    async drop() {
      await embedded.stop();
      await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
    },
  };
}

/**
 * Embedded: every connection shares PGlite's one session, so a role set by
 * one client would hold for all of them. Each client then states its role
 * before every statement it sends.
 */
function pinRole(c: Client, statement: string): Client {
  const query = c.query.bind(c) as (...args: unknown[]) => Promise<unknown>;
  (c as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args) => {
    // in an aborted transaction only ROLLBACK is accepted: let that through
    await query(statement).catch(() => undefined);
    return query(...args);
  };
  return c;
}

/** A client as the API role; on embedded, the role is switched for the session instead. */
export async function connectAsAppRole(db: TestDatabase): Promise<Client> {
  const c = new Client({ connectionString: db.appUrl });
  await c.connect();
  if (db.embedded) pinRole(c, `SET ROLE ${APP_ROLE}`);
  return c;
}

export async function connectAsOwner(db: TestDatabase): Promise<Client> {
  const c = new Client({ connectionString: db.ownerUrl });
  await c.connect();
  if (db.embedded) pinRole(c, 'RESET ROLE');
  return c;
}
