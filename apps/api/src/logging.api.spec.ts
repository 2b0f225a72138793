import type { ChildProcess } from 'node:child_process';
import { freePort, spawnMain } from './testing/main-process';
import { TEST_JWT_SECRET } from './testing/test-app';
import { TestDatabase, createTestDatabase } from './testing/test-database';

type Line = {
  level: number;
  msg: string;
  context?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
};

describe('request logs: a line per answer, and what the app logs for a request names it', () => {
  let db: TestDatabase;
  let api: ChildProcess;
  let url: string;
  const lines: Line[] = [];
  let output = '';

  /** The first line matching `match` within timeoutMs. */
  async function lineWhere(match: (l: Line) => boolean, timeoutMs = 15_000): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such log line; the API printed:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const post = (path: string, id: string, body: string, type = 'application/json') =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-request-id': id },
      body,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // `main.js serve` as its own process: its standard output is the log
    api = spawnMain('serve', {
      NODE_ENV: 'test',
      DATABASE_URL: db.appUrl,
      MIGRATE_ON_BOOT: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'info',
      SERVE_CONSOLE: 'false',
      WORKER_IN_API: 'false',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
    });
    let partial = '';
    api.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Line);
    });
    api.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await lineWhere((l) => /API listening/.test(l.msg), 60_000);
  }, 90_000);

  afterAll(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
  });

  it('logs each answer once with the request id, and binds the app lines of a request to it', async () => {
    const signup = await post(
      '/api/v1/auth/signup',
      'log-signup',
      JSON.stringify({
        email: 'logs@example.com',
        password: 'a long enough password',
        fullName: 'Log Reader',
        tenantName: 'Logs',
      }),
    );
    expect(signup.status).toBe(201);
    // no SMTP server is configured: the reset mail is logged as not sent, from within the request
    const forgot = await post(
      '/api/v1/auth/forgot-password',
      'log-forgot',
      JSON.stringify({ email: 'logs@example.com' }),
    );
    expect(forgot.status).toBe(202);
    expect(
      await lineWhere((l) => l.msg === 'request completed' && l.req?.id === 'log-forgot'),
    ).toMatchObject({
      level: 30,
      req: { id: 'log-forgot', method: 'POST', url: '/api/v1/auth/forgot-password' },
      res: { statusCode: 202 },
    });
    expect(
      await lineWhere((l) => l.context === 'Mail' && l.req?.id === 'log-forgot'),
    ).toMatchObject({ req: { method: 'POST', url: '/api/v1/auth/forgot-password' } });

    // refused by a hook before any route ran: logged too, as a warning
    const form = await post(
      '/api/v1/auth/login',
      'log-form',
      'a=b',
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(415);
    expect(
      await lineWhere((l) => l.msg === 'request completed' && l.req?.id === 'log-form'),
    ).toMatchObject({ level: 40, res: { statusCode: 415 } });

    // a token is never written; liveness probes are not logged
    const secret = 'Bearer never-in-the-log-0123456789';
    const unauthorized = await fetch(`${url}/api/v1/leads`, {
      headers: { authorization: secret, 'x-request-id': 'log-401' },
    });
    expect(unauthorized.status).toBe(401);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    await lineWhere((l) => l.msg === 'request completed' && l.req?.id === 'log-401');
    expect(output).not.toContain('never-in-the-log');
    expect(
      lines.filter((l) => l.msg === 'request completed' && l.req?.id === 'log-forgot'),
    ).toHaveLength(1);
    expect(lines.some((l) => l.req?.url === '/health/live')).toBe(false);
  }, 60_000);
});
