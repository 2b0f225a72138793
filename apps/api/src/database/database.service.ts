import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Pool } from 'pg';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Env } from '../config/env';
import { EmbeddedDatabase, startEmbeddedDatabase } from './embedded';
import { migrate } from './migrator';
import { SnakeNamingStrategy } from './naming';
import { apiPgTypes, keepTimestampsAsText } from './pg-types';

export interface RoleCheck {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
}

/** Refuses a role that row-level security would not bind (production); warns otherwise. */
export class UnsafeDatabaseRoleError extends Error {}

const DEFAULT_APP_ROLE = 'acc_app';

/**
 * Owns the connection pool: starts the embedded database when no
 * DATABASE_URL is set, applies migrations, checks the role it runs as.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Database');
  private embedded?: EmbeddedDatabase;
  dataSource!: DataSource;
  /** Role each tenant transaction switches to, when the session's own role would bypass RLS. */
  switchRole: string | null = null;
  embeddedMode = false;
  role!: RoleCheck;
  statementTimeoutMs = 30_000;

  constructor(private readonly config: ConfigService<Env, true>) {}

  async onModuleInit(): Promise<void> {
    const env = (k: keyof Env) => this.config.get(k, { infer: true });
    const poolMax = env('DATABASE_POOL_MAX') as number;
    let url = env('DATABASE_URL') as string | undefined;
    let migrationUrl = (env('DATABASE_MIGRATION_URL') as string | undefined) ?? url;
    if (!url) {
      this.embedded = await startEmbeddedDatabase(env('DATA_DIR') as string, poolMax + 4);
      this.embeddedMode = true;
      url = migrationUrl = this.embedded.url;
      this.log.log(`embedded PostgreSQL (PGlite) in ${this.embedded.dataDir}`);
    }
    this.statementTimeoutMs = env('DATABASE_STATEMENT_TIMEOUT_MS') as number;
    const appRole = this.appRoleName(url, migrationUrl as string);

    if (env('MIGRATE_ON_BOOT')) {
      await runMigrations(migrationUrl as string, {
        dir: env('MIGRATIONS_DIR') as string,
        appRole,
        appPassword: migrationUrl !== url ? passwordOf(url) : undefined,
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
    keepTimestampsAsText(this.dataSource.driver as PostgresDriver);
    this.role = await this.checkRole();
    this.switchRole = this.role.role === appRole ? null : appRole;
    this.enforceRolePolicy(env('NODE_ENV') === 'production');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }

  /** The primary's pg pool (for health and metrics). */
  get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private appRoleName(url: string, migrationUrl: string): string {
    const explicit = this.config.get('DATABASE_APP_ROLE', { infer: true });
    if (explicit) return explicit;
    // With a separate owner connection for migrations, the runtime URL's user is the API role.
    if (migrationUrl !== url) return decodeURIComponent(new URL(url).username) || DEFAULT_APP_ROLE;
    return DEFAULT_APP_ROLE;
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
        `${why}; connect as a non-superuser role without BYPASSRLS (DATABASE_URL)`,
      );
    }
    this.log.warn(
      `${why}; each transaction switches to "${this.switchRole}" (refused in production)`,
    );
  }
}

/** Opens one connection with the owner URL, migrates, closes it. */
export async function runMigrations(
  url: string,
  opts: Parameters<typeof migrate>[1],
): ReturnType<typeof migrate> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await migrate(client, opts);
  } finally {
    await client.end();
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
