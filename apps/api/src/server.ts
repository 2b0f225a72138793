import { Logger } from '@nestjs/common';
import { loadEnvironment } from './config/env';

/** Starts the HTTP server and drains it on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  const env = loadEnvironment();
  const { createApp } = await import('./app.factory');
  const app = await createApp();
  const log = new Logger('Server');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: finishing in-flight requests (at most ${env.SHUTDOWN_GRACE_MS} ms)`);
    const force = setTimeout(() => {
      log.warn('grace period over, exiting with requests still open');
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen(env.API_PORT, env.API_HOST);
  const url = `http://${env.API_HOST === '0.0.0.0' ? 'localhost' : env.API_HOST}:${env.API_PORT}`;
  log.log(`API listening on ${url} (docs ${url}/api/docs, health ${url}/health)`);
}
