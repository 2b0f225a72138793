import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { MIGRATIONS_DIR, type TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * The real application (same factory as production) on a random port,
 * connected as the API role to a test database; env overrides per suite.
 */
export async function startTestApp(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<TestApp> {
  return startAppWith({ DATABASE_URL: db.appUrl, MIGRATE_ON_BOOT: 'false', ...env });
}

/**
 * The real application with no DATABASE_URL: it starts its embedded
 * PostgreSQL (PGlite) with data under dataDir and migrates it at boot.
 */
export async function startEmbeddedTestApp(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<TestApp> {
  // an empty value means "unset" to the configuration
  return startAppWith({
    DATABASE_URL: '',
    MIGRATE_ON_BOOT: 'true',
    MIGRATIONS_DIR,
    DATA_DIR: dataDir,
    ...env,
  });
}

/** The real application with exactly these settings over the test defaults. */
export async function startAppWith(env: Record<string, string>): Promise<TestApp> {
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SERVE_CONSOLE: 'false',
    THROTTLE_AUTH_LIMIT: '1000',
    THROTTLE_IP_LIMIT: '10000',
    FRONTEND_URL: 'http://console.test',
    CORS_ORIGINS: 'http://console.test',
    ...env,
  };
  const saved = { ...process.env };
  Object.assign(process.env, settings);
  try {
    const { createApp } = await import('../app.factory');
    const app = await createApp();
    // a boot that fails (database setup, role policy) leaves nothing running
    await app.listen(0, '127.0.0.1').catch(async (e) => {
      await app.close().catch(() => undefined);
      throw e;
    });
    const { port } = app.getHttpServer().address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      close: () => app.close(),
    };
  } finally {
    process.env = saved;
  }
}
