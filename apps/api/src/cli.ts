import { loadEnvironment } from './config/env';
import { startEmbeddedDatabase } from './database/embedded';
import { apiRoleOptions, runMigrations } from './database/database.service';

/** `main.js migrate`: applies pending migrations to DATABASE_MIGRATION_URL / DATABASE_URL (or the embedded database). */
export async function migrateCommand(): Promise<void> {
  const env = loadEnvironment({ requireSecrets: false });
  const given = env.DATABASE_URL ?? env.DATABASE_MIGRATION_URL;
  const embedded = given ? undefined : await startEmbeddedDatabase(env.DATA_DIR, 2);
  const url = given ?? (embedded?.url as string);
  const migrationUrl = env.DATABASE_MIGRATION_URL ?? url;
  try {
    const result = await runMigrations(migrationUrl, {
      dir: env.MIGRATIONS_DIR,
      ...apiRoleOptions(url, migrationUrl, env.DATABASE_APP_ROLE),
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(
      `migrations: ${result.applied.length} applied, ${result.skipped.length} already applied\n`,
    );
  } finally {
    await embedded?.stop();
  }
}

/** `main.js seed`: adds the demo tenant (3 agents, 300 leads, 400 calls) and prints its login. */
export async function seedCommand(): Promise<void> {
  loadEnvironment();
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('./app.module');
  const { SeedService } = await import('./seed/seed.service');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(), {
    logger: ['error', 'warn'],
  });
  try {
    const login = await app.get(SeedService).seedDemo();
    process.stdout.write(
      `demo tenant "${login.tenantName}": sign in as ${login.email} / ${login.password}\n`,
    );
  } finally {
    await app.close();
  }
}

/**
 * `main.js worker`: the job engine's worker without the HTTP server, for
 * running jobs (webhook deliveries, purges) in processes of their own. Any
 * number may run beside the API instances (set WORKER_IN_API=false on
 * those to keep them to requests); it stops on SIGTERM once its jobs in
 * progress are done.
 */
export async function workerCommand(): Promise<void> {
  const env = loadEnvironment();
  if (!env.DATABASE_URL) {
    throw new Error(
      'worker: DATABASE_URL is required (the embedded database belongs to one API process, whose worker runs inside it)',
    );
  }
  const { Logger } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('./app.module');
  const { JobsService } = await import('./jobs/jobs.service');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(), {
    bufferLogs: true,
  });
  const { Logger: PinoLogger } = await import('nestjs-pino');
  app.useLogger(app.get(PinoLogger));
  await app.get(JobsService).start();
  const log = new Logger('Worker');
  log.log('worker running; SIGTERM stops it once its jobs in progress are done');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.log(`${signal}: stopping`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.close();
}
