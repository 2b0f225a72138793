import 'reflect-metadata';
import { appVersion } from './version';

/**
 * Entry point: `--version`, `migrate`, `seed`, `worker`, or (default) serve.
 * Configuration errors print one line per bad variable and exit 1, no stack trace.
 */
async function main(argv: string[]): Promise<void> {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${appVersion()}\n`);
    return;
  }
  try {
    const command = argv[0] ?? 'serve';
    if (command === 'migrate') return await (await import('./cli')).migrateCommand();
    if (command === 'seed') return await (await import('./cli')).seedCommand();
    if (command === 'worker') return await (await import('./cli')).workerCommand();
    if (command !== 'serve')
      throw new Error(
        `unknown command "${command}" (use serve, worker, migrate, seed or --version)`,
      );
    (await import('./pretenuring')).disablePretenuring();
    if (await (await import('./heap-limit')).serveInLimitedThread(argv)) return;
    await (await import('./server')).serve();
  } catch (e) {
    const { bootFailureLines } = await import('./boot-failure');
    for (const line of bootFailureLines(e)) process.stderr.write(`${line}\n`);
    process.exit(1);
  }
}

void main(process.argv.slice(2));
