import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'pg';

export interface MigrateOptions {
  dir: string;
  /** The API's runtime role: created if missing, granted DML on the app tables only. */
  appRole: string;
  appPassword?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

// Any constant: serialises migrators of several instances booting at once.
const LOCK_KEY = 4_231_977;

/**
 * Applies migrations/*.sql in file-name order, each exactly once (recorded in
 * schema_migrations) and each in its own transaction, then makes sure the
 * API role exists with only the grants it needs.
 */
export async function migrate(client: Client, opts: MigrateOptions): Promise<MigrateResult> {
  const log = opts.log ?? (() => undefined);
  const files = (await readdir(opts.dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Map<string, string>(
      (await client.query('SELECT version, checksum FROM schema_migrations')).rows.map((r) => [
        r.version,
        r.checksum,
      ]),
    );
    const result: MigrateResult = { applied: [], skipped: [] };
    for (const file of files) {
      const sql = await readFile(join(opts.dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      if (done.has(file)) {
        if (done.get(file) !== checksum) log(`migration ${file} changed after it was applied`);
        result.skipped.push(file);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
          file,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(e as Error).message}`);
      }
      log(`applied migration ${file}`);
      result.applied.push(file);
    }
    await ensureAppRole(client, opts);
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

async function ensureAppRole(client: Client, opts: MigrateOptions): Promise<void> {
  const role = opts.appRole;
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    // Identifiers and literals are quoted by the server (format %I / %L).
    const { rows } = await client.query(
      `SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', $1::text)
              || CASE WHEN $2::text IS NULL THEN '' ELSE format(' PASSWORD %L', $2::text) END AS sql`,
      [role, opts.appPassword ?? null],
    );
    try {
      await client.query(rows[0].sql);
    } catch (e) {
      // Roles are cluster-wide: another database's migrator may have just created it.
      if ((e as { code?: string }).code === '42710') return ensureGrants(client, role);
      throw new Error(
        `cannot create the API role "${role}" (${(e as Error).message}); create it as a ` +
          'non-superuser LOGIN role without BYPASSRLS, or name an existing one in DATABASE_APP_ROLE',
      );
    }
  }
  await ensureGrants(client, role);
}

async function ensureGrants(client: Client, role: string): Promise<void> {
  const { rows } = await client.query(
    `SELECT string_agg(format('%I', tablename), ', ' ORDER BY tablename) AS tables
       FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
  );
  const ident = (await client.query('SELECT format($$%I$$, $1::text) AS r', [role])).rows[0].r;
  await client.query(`GRANT USAGE ON SCHEMA public TO ${ident}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${rows[0].tables} TO ${ident}`);
  await client.query(`REVOKE ALL ON schema_migrations FROM ${ident}`);
}
