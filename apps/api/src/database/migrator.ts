import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'pg';
import { JOB_SCHEMA } from './job-engine';
import { ident } from './setup-errors';

export interface MigrateOptions {
  dir: string;
  /**
   * The role tenant transactions run as (DATABASE_APP_ROLE, or the user of a
   * separate DATABASE_URL): created if missing, granted DML on the app tables
   * only. Unset: a superuser or BYPASSRLS migrator gets acc_app (it would
   * bypass row-level security itself); any other runs as itself, bound by
   * the forced row-level security of the tables it owns.
   */
  appRole?: string;
  /** Password of a role that is created to log in (the runtime URL's). */
  appPassword?: string;
  /** The role the API connects as, when not the migrating one (a separate DATABASE_URL's user). */
  runtimeUser?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
  /** The role tenant transactions run as. */
  appRole: string;
}

/** A migration file failed; the transaction of that file was rolled back. */
export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`migration ${file} failed: ${(cause as Error).message}`, { cause });
  }
}

export const DEFAULT_APP_ROLE = 'acc_app';

/**
 * Tables the API role may read and append to but never change or delete
 * from (migrations/013): their old rows go through a SECURITY DEFINER function.
 */
export const APPEND_ONLY_TABLES = ['audit_events'];

interface Me {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
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
    const result: MigrateResult = { applied: [], skipped: [], appRole: '' };
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
        throw new MigrationError(file, e);
      }
      log(`applied migration ${file}`);
      result.applied.push(file);
    }
    result.appRole = await ensureAppRole(client, opts);
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

async function ensureAppRole(client: Client, opts: MigrateOptions): Promise<string> {
  const me: Me = (
    await client.query(
      `SELECT rolname AS role, rolsuper AS superuser, rolbypassrls AS "bypassRls"
         FROM pg_roles WHERE rolname = current_user`,
    )
  ).rows[0];
  const role = opts.appRole ?? (me.superuser || me.bypassRls ? DEFAULT_APP_ROLE : me.role);
  // The owner of the tables needs no grants: forced row-level security binds it too.
  if (role === me.role) return role;
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const connector = opts.runtimeUser ?? me.role;
  if (exists.rowCount === 0) {
    // Only a role the API connects as may log in; one it switches to needs not.
    const login = connector === role;
    // Identifiers and literals are quoted by the server (format %I / %L).
    const { rows } = await client.query(
      `SELECT format('CREATE ROLE %I ' || $3::text || ' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', $1::text)
              || CASE WHEN $2::text IS NULL THEN '' ELSE format(' PASSWORD %L', $2::text) END AS sql`,
      [role, login ? (opts.appPassword ?? null) : null, login ? 'LOGIN' : 'NOLOGIN'],
    );
    try {
      await client.query(rows[0].sql);
      opts.log?.(`created the API role ${role}`);
    } catch (e) {
      // Roles are cluster-wide: another database's migrator may have just created it.
      if ((e as { code?: string }).code !== '42710') {
        throw new Error(
          `cannot create the API role "${role}" (${(e as Error).message}); as a superuser run: ` +
            `CREATE ROLE ${ident(role)} ${login ? "LOGIN PASSWORD '...'" : 'NOLOGIN'} NOSUPERUSER NOBYPASSRLS` +
            (connector === role ? '' : `; GRANT ${ident(role)} TO ${ident(connector)}`),
        );
      }
    }
  }
  await ensureGrants(client, role);
  if (connector !== role) await ensureMembership(client, role, connector);
  return role;
}

/**
 * The API connects as `connector` and switches to `role` in each tenant
 * transaction (SET LOCAL ROLE), which needs membership. A superuser has it
 * implicitly. A CREATEROLE owner may grant it: on PostgreSQL 15 creating a
 * role does not make its creator a member (16 makes it an ADMIN member
 * without SET), so it is granted explicitly.
 */
async function ensureMembership(client: Client, role: string, connector: string): Promise<void> {
  const { rows } = await client.query(
    `SELECT r.rolsuper AS superuser,
            pg_has_role(r.oid, $2::text,
              CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) AS member
       FROM pg_roles r WHERE r.rolname = $1`,
    [connector, role],
  );
  // an unknown connector cannot log in anyway: the boot's own check says so
  if (rows.length === 0 || rows[0].superuser || rows[0].member) return;
  try {
    await client.query(`GRANT ${await quoted(client, role)} TO ${await quoted(client, connector)}`);
  } catch (e) {
    throw new Error(
      `"${connector}" switches to the API role "${role}" in each transaction but is not a member ` +
        `and may not be made one (${(e as Error).message}); as a superuser run: GRANT ${ident(role)} TO ${ident(connector)}`,
    );
  }
}

async function quoted(client: Client, name: string): Promise<string> {
  return (await client.query('SELECT format($$%I$$, $1::text) AS r', [name])).rows[0].r;
}

async function ensureGrants(client: Client, role: string): Promise<void> {
  const { rows } = await client.query(
    `SELECT string_agg(format('%I', tablename), ', ' ORDER BY tablename) AS tables
       FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
        AND tablename <> ALL($1::text[])`,
    [APPEND_ONLY_TABLES],
  );
  const r = await quoted(client, role);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${rows[0].tables} TO ${r}`);
  await client.query(`REVOKE ALL ON schema_migrations FROM ${r}`);
  const { rows: appendOnly } = await client.query(
    `SELECT format('%I', tablename) AS t FROM pg_tables
      WHERE schemaname = 'public' AND tablename = ANY($1::text[])`,
    [APPEND_ONLY_TABLES],
  );
  for (const { t } of appendOnly) {
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${t} FROM ${r}`);
    await client.query(`GRANT SELECT, INSERT ON ${t} TO ${r}`);
  }
  // The job engine's tables: the API enqueues jobs in its transactions and runs the worker.
  // They hold job payloads (a tenant and a row id), never tenant data.
  const engine = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [JOB_SCHEMA]);
  if (engine.rowCount === 0) return;
  await client.query(`GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO ${r}`);
  await client.query(
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO ${r}`,
  );
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO ${r}`);
  await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO ${r}`);
  // graphile-worker enables row-level security on its tables, without policies, so that
  // only their owner reads them: the API role gets a policy of its own on each.
  const { rows: locked } = await client.query(
    `SELECT format('%I.%I', n.nspname, c.relname) AS t
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relrowsecurity
        AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $2)`,
    [JOB_SCHEMA, `${role}_jobs`],
  );
  const policy = await quoted(client, `${role}_jobs`);
  for (const { t } of locked)
    await client.query(`CREATE POLICY ${policy} ON ${t} TO ${r} USING (true) WITH CHECK (true)`);
}
