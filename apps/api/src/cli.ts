import { loadEnvironment } from './config/env';
import { startEmbeddedDatabase } from './database/embedded';
import { runMigrations } from './database/database.service';

/** `main.js migrate`: applies pending migrations to DATABASE_MIGRATION_URL / DATABASE_URL (or the embedded database). */
export async function migrateCommand(): Promise<void> {
  const env = loadEnvironment();
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedDatabase(env.DATA_DIR, 2);
  const url = env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL ?? (embedded?.url as string);
  const separate = env.DATABASE_URL && env.DATABASE_MIGRATION_URL && env.DATABASE_MIGRATION_URL !== env.DATABASE_URL;
  const runtimeUser = separate ? decodeURIComponent(new URL(env.DATABASE_URL as string).username) : '';
  try {
    const result = await runMigrations(url, {
      dir: env.MIGRATIONS_DIR,
      appRole: env.DATABASE_APP_ROLE ?? (runtimeUser || 'acc_app'),
      appPassword: separate ? decodeURIComponent(new URL(env.DATABASE_URL as string).password) || undefined : undefined,
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(
      `migrations: ${result.applied.length} applied, ${result.skipped.length} already applied\n`,
    );
  } finally {
    await embedded?.stop();
  }
}

export async function seedCommand(_args: string[]): Promise<void> {
  throw new Error('seed is not available yet');
}
