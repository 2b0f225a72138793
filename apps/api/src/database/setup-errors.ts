import { userInfo } from 'node:os';

/**
 * A database setup the API cannot run on. Its message is the one line
 * printed at boot: what is wrong and the SQL (or setting) that fixes it.
 */
export class DatabaseSetupError extends Error {}

export interface ConnectionTarget {
  user: string;
  database: string;
  host: string;
}

/** Who a URL connects as, with node-postgres' defaults for what it leaves out. */
export function connectionTarget(url: string): ConnectionTarget {
  const u = new URL(url);
  // node-postgres also takes ?user= and ?host= (a socket directory)
  const user =
    decodeURIComponent(u.username) ||
    u.searchParams.get('user') ||
    process.env['PGUSER'] ||
    process.env['USER'] ||
    userInfo().username;
  const database = decodeURIComponent(u.pathname.slice(1)) || user;
  return { user, database, host: u.host || u.searchParams.get('host') || 'localhost' };
}

/** An identifier as PostgreSQL wants it in the SQL we suggest. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

interface PgError {
  code?: string;
  message?: string;
}

/**
 * The one-line explanation of a failure while connecting, migrating or
 * running the boot's tenant transaction. `apiRole` is the role tenant
 * transactions switch to, when they switch.
 */
export function explainSetupFailure(
  e: unknown,
  target: ConnectionTarget,
  apiRole: string | null = null,
): string {
  const err = (e ?? {}) as PgError;
  const message = (err.message ?? String(e)).split('\n')[0];
  const user = ident(target.user);
  const db = ident(target.database);
  const asSuperuser = (sql: string) => `; as a superuser run: ${sql}`;

  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT') {
    return `cannot reach PostgreSQL at ${target.host} (${err.code}): is it running, and are the host and port of the database URL right?`;
  }
  if (err.code === '28P01') {
    return `PostgreSQL refused the password of "${target.user}"${asSuperuser(`ALTER ROLE ${user} PASSWORD '...'`)} (and put the same password in the URL)`;
  }
  if (err.code === '3D000') {
    return `${message}${asSuperuser(`CREATE DATABASE ${db} OWNER ${user}`)}`;
  }
  if (err.code === '28000' && /does not exist/.test(message)) {
    return `${message}${asSuperuser(`CREATE ROLE ${user} LOGIN PASSWORD '...'`)}`;
  }
  if (err.code === '28000' && /not permitted to log in/.test(message)) {
    return `${message}${asSuperuser(`ALTER ROLE ${user} LOGIN`)}`;
  }
  if (err.code === '42501') {
    const schema = /permission denied for schema (\S+)/.exec(message)?.[1];
    if (schema) {
      return (
        `${message}: "${target.user}" may not create tables in schema ${schema} of database "${target.database}" ` +
        `(since PostgreSQL 15 only the database owner may, unless granted); as a superuser, in that database, run: ` +
        `GRANT CREATE ON SCHEMA ${ident(schema)} TO ${user}; or make it the owner: ` +
        `ALTER DATABASE ${db} OWNER TO ${user}; ALTER SCHEMA ${ident(schema)} OWNER TO ${user}`
      );
    }
    if (/permission denied to set role/.test(message) && apiRole) {
      return (
        `${message}: each tenant transaction switches from "${target.user}" to "${apiRole}", and "${target.user}" is not a member of it` +
        asSuperuser(`GRANT ${ident(apiRole)} TO ${user}`) +
        ` (or unset DATABASE_APP_ROLE: a non-superuser owner runs as itself)`
      );
    }
    if (/permission denied to create extension/.test(message)) {
      return `${message}${asSuperuser(`GRANT CREATE ON DATABASE ${db} TO ${user}`)} (or create the extension yourself in that database)`;
    }
    if (/permission denied for database/.test(message)) {
      return `${message}${asSuperuser(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${db} TO ${user}`)}`;
    }
  }
  if (err.code === '42P01' || err.code === '42883') {
    return `${message}: the database has no schema yet; run the migrations (node dist/apps/api/main.js migrate, or MIGRATE_ON_BOOT=true)`;
  }
  return message;
}
