import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Client, Pool, PoolClient } from 'pg';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Env } from '../config/env';
import { EmbeddedDatabase, startEmbeddedDatabase } from './embedded';
import { installJobEngine } from './job-engine';
import {
  DEFAULT_APP_ROLE,
  MigrateOptions,
  MigrateResult,
  MigrationError,
  migrate,
  APPEND_ONLY_TABLES,
} from './migrator';
import { SnakeNamingStrategy } from './naming';
import { apiPgTypes, keepTimestampsAsText } from './pg-types';
import { DatabaseSetupError, connectionTarget, explainSetupFailure, ident } from './setup-errors';

export interface RoleCheck {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
}

/** Refuses a role that row-level security would not bind (production); warns otherwise. */
export class UnsafeDatabaseRoleError extends DatabaseSetupError {}

/**
 * The boot's tenant transaction, after app_begin: what the role it runs as
 * may do. Tables it cannot read and write, and tenant tables whose
 * row-level security would not bind it, make the boot stop.
 */
const ROLE_FITNESS_SQL = `
SELECT r.rolname AS role, r.rolsuper OR r.rolbypassrls AS "bypassesRls",
       (SELECT string_agg(format('%I', c.relname), ', ' ORDER BY c.relname) FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
           AND c.relname <> 'schema_migrations'
           AND NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                AND (c.relname IN (${APPEND_ONLY_TABLES.map((t) => `'${t}'`).join(', ')})
                     OR has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE')))
       ) AS "missingGrants",
       (SELECT string_agg(format('%I', c.relname), ', ' ORDER BY c.relname) FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
           AND EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
           AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
       ) AS "unprotected"
  FROM pg_roles r WHERE r.rolname = current_user`;

interface RoleFitness {
  role: string;
  bypassesRls: boolean;
  missingGrants: string | null;
  unprotected: string | null;
}

/**
 * Owns the connection pool: starts the embedded database when no
 * DATABASE_URL is set, applies migrations, decides which role tenant
 * transactions run as, and proves one of them works before the API serves.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Database');
  private embedded?: EmbeddedDatabase;
  dataSource!: DataSource;
  /**
   * Role each tenant transaction switches to (SET LOCAL ROLE through
   * app_begin), or null when it runs as the session's own role. Switched
   * only where needed or asked for: the embedded database and a superuser
   * or BYPASSRLS URL (development) would bypass row-level security as
   * themselves; DATABASE_APP_ROLE names another role. A plain owner runs as
   * itself: FORCEd row-level security binds a table's owner too.
   */
  switchRole: string | null = null;
  embeddedMode = false;
  role!: RoleCheck;
  statementTimeoutMs = 30_000;
  /** The primary's URL (the embedded server's when embedded): the job engine's pool uses it too. */
  url!: string;
  /** 0 on the embedded database: its one session ending would end the database */
  idleInTransactionTimeoutMs = 0;
  poolMax = 10;
  /**
   * The primary's pool and each read replica's (poolMax each): how many
   * transactions the tenant share admits at once. With replicas, reads and
   * writes are not told apart there, so the primary's own pool may still queue.
   */
  poolConnections = 10;
  poolWaitMs = 2_000;
  /** the most pooled connections one tenant's transactions may hold at once */
  tenantPoolMax = 5;
  /**
   * One connection of its own for /health: a pool full of busy requests must
   * not look like a dead database (health reports it as degraded instead).
   */
  private healthPool?: Pool;

  constructor(private readonly config: ConfigService<Env, true>) {}

  async onModuleInit(): Promise<void> {
    const env = (k: keyof Env) => this.config.get(k, { infer: true });
    const poolMax = env('DATABASE_POOL_MAX') as number;
    let url = env('DATABASE_URL') as string | undefined;
    let migrationUrl = (env('DATABASE_MIGRATION_URL') as string | undefined) ?? url;
    if (!url) {
      // the request pool, the job engine's pool (its jobs plus LISTEN) and a few to spare
      const jobConnections = (env('JOBS_CONCURRENCY') as number) + 2;
      this.embedded = await startEmbeddedDatabase(
        env('DATA_DIR') as string,
        poolMax + jobConnections + 4,
      );
      this.embeddedMode = true;
      url = migrationUrl = this.embedded.url;
      this.log.log(`embedded PostgreSQL (PGlite) in ${this.embedded.dataDir}`);
    }
    this.url = url;
    this.statementTimeoutMs = env('DATABASE_STATEMENT_TIMEOUT_MS') as number;
    this.idleInTransactionTimeoutMs = this.embeddedMode
      ? 0
      : (env('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS') as number);
    this.poolMax = poolMax;
    this.poolConnections = poolMax * (1 + (env('DATABASE_READ_URLS') as string[]).length);
    this.poolWaitMs = env('DATABASE_POOL_WAIT_MS') as number;
    this.tenantPoolMax =
      (env('DATABASE_POOL_TENANT_MAX') as number | undefined) ?? Math.ceil(poolMax / 2);
    const explicitRole = env('DATABASE_APP_ROLE') as string | undefined;

    try {
      if (env('MIGRATE_ON_BOOT')) {
        await runMigrations(migrationUrl as string, {
          dir: env('MIGRATIONS_DIR') as string,
          ...apiRoleOptions(url, migrationUrl as string, explicitRole),
          log: (l) => this.log.log(l),
        });
      }
      this.dataSource = new DataSource({
        type: 'postgres',
        url,
        replication: readReplication(url, env('DATABASE_READ_URLS') as string[]),
        poolSize: poolMax,
        extra: {
          max: poolMax,
          // A full pool makes new requests wait this long at most, then fail with 503.
          connectionTimeoutMillis: env('DATABASE_POOL_WAIT_MS'),
          idleTimeoutMillis: 30_000,
          types: apiPgTypes,
        },
        // every @Entity class the feature modules imported: each table's one definition
        entities: getMetadataArgsStorage().tables.map((t) => t.target),
        namingStrategy: new SnakeNamingStrategy(),
        synchronize: false,
        migrationsRun: false,
        logging: false,
      });
      await this.dataSource.initialize();
      this.healthPool = new Pool({
        connectionString: url,
        max: 1,
        idleTimeoutMillis: 30_000,
        // a frozen server must not keep the one connection forever (health's own deadline is shorter)
        connectionTimeoutMillis: 5_000,
        query_timeout: 5_000,
        types: apiPgTypes,
      });
      // a dropped idle connection is replaced on the next check, which reports the outage
      this.healthPool.on('error', () => undefined);
      keepTimestampsAsText(this.dataSource.driver as PostgresDriver);
      this.role = await this.checkRole();
      const bypasses = this.role.superuser || this.role.bypassRls;
      const apiRole =
        explicitRole ?? (this.embeddedMode || bypasses ? DEFAULT_APP_ROLE : this.role.role);
      this.switchRole = apiRole === this.role.role ? null : apiRole;
      this.enforceRolePolicy(env('NODE_ENV') === 'production');
      await this.proveTenantTransaction(this.pool);
      const replicas = (this.dataSource.driver as PostgresDriver).slaves as Pool[];
      const replicaUrls = env('DATABASE_READ_URLS') as string[];
      for (const [i, pool] of replicas.entries()) {
        const target = connectionTarget(replicaUrls[i]);
        await this.proveTenantTransaction(pool).catch((e: unknown) => {
          const why = e instanceof DatabaseSetupError ? e.message : explainSetupFailure(e, target);
          throw new DatabaseSetupError(`read replica ${target.host}: ${why}`);
        });
      }
    } catch (e) {
      await this.onApplicationShutdown();
      if (e instanceof DatabaseSetupError) throw e;
      throw new DatabaseSetupError(explainSetupFailure(e, connectionTarget(url), this.switchRole));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.healthPool?.end().catch(() => undefined);
    this.healthPool = undefined;
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
    this.embedded = undefined;
  }

  /** The primary's pg pool (for health and metrics). */
  get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * One tenant transaction as requests run it (BEGIN, app_begin with the
   * role they use, a read of a tenant table, ROLLBACK), on the health
   * check's own connection to the same database as the same role: health
   * is never healthy when tenant transactions fail, and never dead only
   * because requests hold every pooled connection.
   */
  async pingTenantTransaction(timeoutMs: number): Promise<void> {
    await this.inTenantTransaction(this.healthPool ?? this.pool, timeoutMs, async () => undefined);
  }

  private async checkRole(): Promise<RoleCheck> {
    const [row] = await this.dataSource.query(
      `SELECT rolname AS role, rolsuper AS superuser, rolbypassrls AS "bypassRls"
         FROM pg_roles WHERE rolname = current_user`,
    );
    return row as RoleCheck;
  }

  private enforceRolePolicy(production: boolean): void {
    const { role, superuser, bypassRls } = this.role;
    if (!superuser && !bypassRls) return;
    const why = `database role "${role}" is ${superuser ? 'a superuser' : 'BYPASSRLS'} and would bypass row-level security`;
    if (this.embeddedMode) return; // the embedded session is always superuser; switchRole covers it
    if (production) {
      throw new UnsafeDatabaseRoleError(
        `${why}, which production refuses; keep this URL for migrations only (DATABASE_MIGRATION_URL) ` +
          `and set DATABASE_URL to a role without SUPERUSER or BYPASSRLS, e.g. postgres://${DEFAULT_APP_ROLE}:<password>@host/db ` +
          '(the migrations create it with that password)',
      );
    }
    this.log.warn(
      `${why}; each transaction switches to "${this.switchRole}" (refused in production)`,
    );
  }

  /** The boot's proof: a tenant transaction that reads, as the role requests will use, with RLS binding it. */
  private async proveTenantTransaction(pool: Pool): Promise<void> {
    const problem = await this.inTenantTransaction(
      pool,
      this.statementTimeoutMs,
      async (client) => {
        const fit: RoleFitness = (await client.query(ROLE_FITNESS_SQL)).rows[0];
        const who = `tenant transactions run as "${fit.role}"`;
        if (fit.bypassesRls) {
          return (
            `${who}, which is a superuser or BYPASSRLS and would skip row-level security; ` +
            `as a superuser run: ALTER ROLE ${ident(fit.role)} NOSUPERUSER NOBYPASSRLS (or name another role in DATABASE_APP_ROLE)`
          );
        }
        if (fit.missingGrants) {
          return (
            `${who}, which may not read and write ${fit.missingGrants}; run the migrations as the tables' owner ` +
            `(they grant it), or as that owner: GRANT SELECT, INSERT, UPDATE, DELETE ON ${fit.missingGrants} TO ${ident(fit.role)}`
          );
        }
        if (fit.unprotected) {
          const tables = fit.unprotected.split(', ');
          return (
            `row-level security is not enabled and forced on ${fit.unprotected}, so ${who} could see every tenant's rows; ` +
            `as the tables' owner run: ${tables.map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`).join('; ')}`
          );
        }
        return undefined;
      },
    );
    if (problem) throw new DatabaseSetupError(problem);
  }

  private async inTenantTransaction<T>(
    pool: Pool,
    timeoutMs: number,
    fn: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await pool.connect();
    // a connection cut while checked out also emits 'error'; the query's own rejection reports it
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // an unknown tenant and user: the read below must see nothing
      await client.query('SELECT FROM app_begin($1, $2, $3, $4, $5)', [
        randomUUID(),
        randomUUID(),
        this.switchRole,
        timeoutMs,
        this.idleInTransactionTimeoutMs,
      ]);
      const result = await fn(client);
      const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM leads')).rows;
      if (n !== 0) {
        throw new DatabaseSetupError(
          `a tenant transaction for an unknown tenant saw ${n} leads: row-level security does not bind role "${this.switchRole ?? this.role.role}"`,
        );
      }
      return result;
    } catch (e) {
      broken = e as Error;
      throw e;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.off('error', ignore);
      // a connection that failed mid-transaction is not handed out again
      client.release(broken);
    }
  }
}

/**
 * The migrator's view of the API role: with a separate migration URL, the
 * runtime URL's user is the API role (created with its password when
 * missing), unless DATABASE_APP_ROLE names another one it switches to.
 */
export function apiRoleOptions(
  url: string,
  migrationUrl: string,
  explicitRole: string | undefined,
): Pick<MigrateOptions, 'appRole' | 'appPassword' | 'runtimeUser'> {
  if (migrationUrl === url) return { appRole: explicitRole };
  const runtimeUser = connectionTarget(url).user;
  return { appRole: explicitRole ?? runtimeUser, runtimeUser, appPassword: passwordOf(url) };
}

/**
 * Opens one connection with the owner URL, migrates, closes it. A failure
 * is a DatabaseSetupError whose one line says what to fix.
 */
export async function runMigrations(url: string, opts: MigrateOptions): Promise<MigrateResult> {
  const client = new Client({ connectionString: url });
  try {
    await installJobEngine(url, opts.log);
    await client.connect();
    return await migrate(client, opts);
  } catch (e) {
    const target = connectionTarget(url);
    if (e instanceof MigrationError) {
      throw new DatabaseSetupError(
        `migration ${e.file} failed: ${explainSetupFailure(e.cause, target)}`,
      );
    }
    if (e instanceof DatabaseSetupError) throw e;
    throw new DatabaseSetupError(`migrations: ${explainSetupFailure(e, target)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function passwordOf(url: string): string | undefined {
  const p = new URL(url).password;
  return p ? decodeURIComponent(p) : undefined;
}

function readReplication(url: string, replicas: string[]) {
  if (replicas.length === 0) return undefined;
  return { master: { url }, slaves: replicas.map((r) => ({ url: r })) };
}
