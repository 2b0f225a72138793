import { Logger as EngineLogger, runMigrations as installEngine } from 'graphile-worker';

/** The job engine's own schema (graphile-worker's tables and SQL functions). */
export const JOB_SCHEMA = 'graphile_worker';

/** graphile-worker's log lines as a callback: its debug chatter is dropped. */
export function engineLogger(log: (level: 'info' | 'warn' | 'error', line: string) => void) {
  return new EngineLogger(() => (level, message) => {
    if (level === 'error') log('error', message);
    else if (level === 'warning') log('warn', message);
    else if (level === 'info') log('info', message);
  });
}

/**
 * Installs or upgrades graphile-worker's schema (its own migrations, kept in
 * graphile_worker.migrations). Run by the owner before the project's
 * migrations, which enqueue jobs from SQL; the API role is then granted the
 * use of it (migrator: ensureGrants). Once installed, a worker starting as
 * the API role finds nothing to migrate.
 */
export async function installJobEngine(url: string, log?: (line: string) => void): Promise<void> {
  await installEngine({
    connectionString: url,
    logger: engineLogger((_level, line) => log?.(`job engine: ${line}`)),
  });
}
