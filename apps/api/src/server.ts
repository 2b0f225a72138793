import type { Server } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { loadEnvironment } from './config/env';

/** Starts the HTTP server and drains it on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  const env = loadEnvironment();
  // imported only once the environment is known to be valid
  const { createApp } = await import('./app.factory');
  const { HealthController } = await import('./health/health.controller');
  const { SeedService } = await import('./seed/seed.service');
  const app = await createApp();
  const log = new Logger('Server');

  let stopping = false;
  // While draining, answers carry Connection: close so a proxy never reuses a
  // connection this instance is about to close (a resent POST could be lost).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_req, reply, done) => {
      if (stopping) void reply.header('Connection', 'close');
      done();
    });
  const stop = async (signal: string) => {
    if (stopping) return;
    // First of all stop listening, so that new connections are refused (nginx
    // resends the request to another instance). Every connection accepted
    // meanwhile would sit in the kernel's backlog and be reset when the
    // listener closes: nginx cannot resend a POST it already sent on one.
    // Idle keep-alive connections stay open: Node's close() would destroy
    // them while the proxy may be writing a request on one (the same reset).
    // Each closes after its next answer (Connection: close above) or once
    // idle (nginx keepalive_timeout 4 s < Node's keepAliveTimeout 5 s).
    const server = app.getHttpServer() as Server;
    server.closeIdleConnections = () => undefined;
    app.get(HealthController).startDraining();
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    stopping = true;
    log.log(`${signal}: finishing in-flight requests (at most ${env.SHUTDOWN_GRACE_MS} ms)`);
    const force = setTimeout(() => {
      log.warn('grace period over, exiting with requests still open');
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
    force.unref();
    // Shutdown hooks (usage flush, pool close) run once every answer is out.
    await drained;
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // in the heap-limited thread (heap-limit.ts) the signals arrive as messages
  parentPort?.on('message', (m: { signal?: string }) => {
    if (m.signal) void stop(m.signal);
  });

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
