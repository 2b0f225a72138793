import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TEST_JWT_SECRET, TestApp, startEmbeddedTestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';
import { ROOT, spawnMain } from '../testing/main-process';
import { JobsService } from '../jobs/jobs.service';

/** `main.js worker` as its own process, as systemd or compose run it. */
function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawnMain('worker', {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    MIGRATE_ON_BOOT: 'false',
    LOG_LEVEL: 'info',
    ...env,
  });
}

/** Resolves once the process printed a line matching `pattern` (its log is JSON lines). */
function waitForLine(p: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`worker printed no ${pattern} in ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    p.stdout?.on('data', onData);
    p.stderr?.on('data', onData);
    p.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before ${pattern}:\n${seen}`));
    });
  });
}

describe('webhook worker: its own process, killed mid-delivery', () => {
  let db: TestDatabase;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let rx: Receiver;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    rx = await startReceiver();
    // this API instance serves requests only: the jobs are the worker processes'
    t = await startTestApp(db, { ...FAST_WEBHOOKS, WORKER_IN_API: 'false' });
    c = client(t.url);
    a = await signup(c, 'Killed');
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
    await rx?.close();
    await db?.drop();
  });

  it('an event whose worker died during the attempt is delivered after a worker starts again, same webhook-id', async () => {
    expect(t.app.get(JobsService).running).toBe(false);
    const w = bodyOf(
      await c.post(
        '/api/v1/webhooks',
        { url: rx.url('/killed'), events: ['lead.created'] },
        a.token,
      ),
      201,
    );
    rx.expect('/killed', w.secret);
    // the first attempt never gets an answer: its worker dies meanwhile
    let first = true;
    rx.answerWith((_r, res) => {
      if (first) first = false;
      else res.end('ok');
    });

    worker = startWorkerProcess({ ...FAST_WEBHOOKS, DATABASE_URL: db.appUrl });
    await waitForLine(worker, /worker started/);
    const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550999' }, a.token), 201);
    await rx.waitFor((r) => r.path === '/killed');
    worker.kill('SIGKILL');
    await new Promise((r) => worker?.once('exit', r));

    worker = startWorkerProcess({ ...FAST_WEBHOOKS, DATABASE_URL: db.appUrl });
    const got = await rx.waitFor((r) => r.path === '/killed', 2, 60_000);
    expect(got[1].verified).toMatchObject({ type: 'lead.created', data: lead });
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    // the worker writes the answer just after the receiver gave it
    const deadline = Date.now() + 20_000;
    let log: Array<{ status: string; attempts: number }> = [];
    while (log[0]?.status !== 'succeeded' && Date.now() < deadline) {
      log = bodyOf(await c.get(`/api/v1/webhooks/${w.id}/deliveries`, a.token), 200).data;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 2 })]);

    // SIGTERM: the worker stops once its jobs are done, exit code 0
    const exited = new Promise<number | null>((r) => worker?.once('exit', (code) => r(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    worker = undefined;
  }, 120_000);

  it('refuses to run on the embedded database (it belongs to one API process)', async () => {
    const p = startWorkerProcess({ DATABASE_URL: '' });
    const out = waitForLine(p, /DATABASE_URL is required/).catch((e: Error) => e);
    const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
    expect(await out).toBeUndefined();
    expect(code).toBe(1);
  }, 60_000);
});

describe('webhook worker on the embedded database (PGlite, one shared session)', () => {
  const dataDir = join(ROOT, 'tmp', `hooks-${randomBytes(6).toString('hex')}`);
  let t: TestApp;
  let c: Client;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await startEmbeddedTestApp(dataDir, FAST_WEBHOOKS);
    c = client(t.url);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers, and retries a failed attempt, from the API process', async () => {
    const a = await signup(c, 'Embedded');
    const w = bodyOf(
      await c.post('/api/v1/webhooks', { url: rx.url('/e'), events: ['lead.created'] }, a.token),
      201,
    );
    rx.expect('/e', w.secret);
    let first = true;
    rx.answerWith((_r, res) => {
      res.statusCode = first ? 500 : 200;
      first = false;
      res.end();
    });
    const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550998' }, a.token), 201);
    const got = await rx.waitFor((r) => r.path === '/e', 2, 60_000);
    expect(got.map((r) => r.verified?.data.id)).toEqual([lead.id, lead.id]);
  }, 120_000);
});
