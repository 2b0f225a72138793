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
