import { Logger } from '@nestjs/common';
import { loadEnvironment } from './config/env';
import { SeedService } from './seed/seed.service';

/** Starts the HTTP server and drains it on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  const env = loadEnvironment();
  const { createApp } = await import('./app.factory');
  const app = await createApp();
  const log = new Logger('Server');

  let stopping = false;
  // While draining, answers carry Connection: close so a proxy never reuses a
  // connection this instance is about to close (a resent POST could be lost).
  app.use((_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    if (stopping) res.setHeader('Connection', 'close');
    next();
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: finishing in-flight requests (at most ${env.SHUTDOWN_GRACE_MS} ms)`);
    const force = setTimeout(() => {
      log.warn('grace period over, exiting with requests still open');
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
    force.unref();
    // Node's server.close() also destroys idle keep-alive connections. The
    // proxy may be writing a request on one at that very moment: it gets a
    // reset, and nginx answers a POST with 502 (it never resends one). Leave
    // them open instead: each closes after its next answer (Connection: close
    // above) or once idle (nginx keepalive_timeout 4 s < Node's 5 s).
    const server = app.getHttpServer() as { closeIdleConnections?: () => void };
    server.closeIdleConnections = () => undefined;
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.init();
  // First run on the embedded database: a demo tenant so the console shows something real.
  const seedOnEmpty = env.SEED_ON_EMPTY ?? !env.DATABASE_URL;
  const seeds = app.get(SeedService);
  const demo = seedOnEmpty && (await seeds.isEmpty()) ? await seeds.seedDemo() : undefined;

  await app.listen(env.API_PORT, env.API_HOST);
  const url = `http://${env.API_HOST === '0.0.0.0' ? 'localhost' : env.API_HOST}:${env.API_PORT}`;
  log.log(`API listening on ${url} (docs ${url}/api/docs, health ${url}/health)`);
  const lines = [
    '',
    `  AI Call Center is running: ${url}`,
    `  console  ${url}/        API docs  ${url}/api/docs        health  ${url}/health`,
    ...(demo
      ? [`  demo login: ${demo.email} / ${demo.password}  (tenant "${demo.tenantName}")`]
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
