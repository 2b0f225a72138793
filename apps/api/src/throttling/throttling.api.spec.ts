import { createHash, randomBytes } from 'node:crypto';
import { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { PASSWORD, signup } from '../testing/accounts';
import { Res, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TTL_SECONDS = 60;

/** A client address per request (the app trusts X-Forwarded-For from loopback, like behind its proxy). */
let ipCounter = 0;
const runNet = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const nextIp = () => `${runNet}.${(ipCounter++ % 250) + 1}`;

const tally = (answers: Res[]) =>
  answers.reduce<Record<number, number>>(
    (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
    {},
  );

function expectThrottled(res: Res): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({
    statusCode: 429,
    error: 'Too Many Requests',
    message: expect.any(String),
  });
  const retry = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retry)).toBe(true);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(TTL_SECONDS);
}

const wrongLogin = (url: string, email: string, ip: string) =>
  client(url).post('/api/v1/auth/login', { email, password: 'not the password' }, undefined, {
    'X-Forwarded-For': ip,
  });

describe('throttling of the public auth routes (real HTTP; Redis shared between two instances)', () => {
  let db: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await db?.drop();
  });

  describe('one instance, in-memory counters', () => {
    let t: TestApp;
    let email: string;

    beforeAll(async () => {
      t = await startTestApp(db, {
        THROTTLE_AUTH_LIMIT: '5',
        THROTTLE_IP_LIMIT: '8',
        THROTTLE_AUTH_TTL_SECONDS: String(TTL_SECONDS),
      });
      apps.push(t);
      email = (await signup(client(t.url), 'Throttled')).email;
    });

    it('wrong passwords for one account from many addresses never lock it: the right one still signs in, slowed', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => wrongLogin(t.url, email, nextIp())),
      );
      expect(tally(answers)).toEqual({ 401: 8 });
      // past the limit (5) the account's attempts wait (4 s here) but are answered
      const started = Date.now();
      const right = await client(t.url).post(
        '/api/v1/auth/login',
        { email, password: PASSWORD },
        undefined,
        { 'X-Forwarded-For': nextIp() },
      );
      expect(right.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    });

    it('one address guessing one account: 5 answered, the rest 429 for that address only', async () => {
      const target = (await signup(client(t.url), 'Guessed')).email;
      const ip = nextIp();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => wrongLogin(t.url, target, ip)),
      );
      expect(tally(answers)).toEqual({ 401: 5, 429: 3 });
      answers.filter((r) => r.status === 429).forEach(expectThrottled);
      const elsewhere = await client(t.url).post(
        '/api/v1/auth/login',
        { email: target, password: PASSWORD },
        undefined,
        { 'X-Forwarded-For': nextIp() },
      );
      expect(elsewhere.status).toBe(200);
    });

    it('another account is not slowed by that', async () => {
      const other = await signup(client(t.url), 'Unaffected');
      const res = await client(t.url).post(
        '/api/v1/auth/login',
        { email: other.email, password: PASSWORD },
        undefined,
        { 'X-Forwarded-For': nextIp() },
      );
      expect(res.status).toBe(200);
    });

    it('one address trying many accounts: 8 answered, the rest 429; another address still answered', async () => {
      const ip = nextIp();
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          wrongLogin(t.url, `spray-${i}-${randomBytes(3).toString('hex')}@example.com`, ip),
        ),
      );
      expect(tally(answers)).toEqual({ 401: 8, 429: 7 });
      answers.filter((r) => r.status === 429).forEach(expectThrottled);
      expect(
        (await wrongLogin(t.url, `fresh-${randomBytes(3).toString('hex')}@example.com`, nextIp()))
          .status,
      ).toBe(401);
    });

    it('throttles forgot-password per account too (always 202 until the limit)', async () => {
      const target = `forgot-${randomBytes(4).toString('hex')}@example.com`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          client(t.url).post('/api/v1/auth/forgot-password', { email: target }, undefined, {
            'X-Forwarded-For': nextIp(),
          }),
        ),
      );
      expect(tally(answers)).toEqual({ 202: 5, 429: 3 });
    });
  });

  describe('two instances on one database with REDIS_URL', () => {
    let one: TestApp;
    let two: TestApp;
    let redis: Redis;
    let email: string;

    const storageReady = async (t: TestApp) => {
      const storage = t.app.get<{ redis?: Redis }>(ThrottlerStorage);
      expect(storage.redis).toBeInstanceOf(Redis);
      const deadline = Date.now() + 5_000;
      while (storage.redis?.status !== 'ready') {
        if (Date.now() > deadline)
          throw new Error(`the app's Redis connection is ${storage.redis?.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    beforeAll(async () => {
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      expect(await redis.ping()).toBe('PONG');
      const env = {
        REDIS_URL,
        THROTTLE_AUTH_LIMIT: '6',
        THROTTLE_IP_LIMIT: '1000',
        THROTTLE_AUTH_TTL_SECONDS: String(TTL_SECONDS),
      };
      one = await startTestApp(db, env);
      apps.push(one);
      two = await startTestApp(db, env);
      apps.push(two);
      await Promise.all([storageReady(one), storageReady(two)]);
      // a fresh account each run: the Redis counters outlive the process for the TTL
      email = (await signup(client(one.url), 'Shared')).email;
    });

    afterAll(async () => {
      await redis?.quit();
    });

    it('one address guessing one account across both instances is throttled at the combined count', async () => {
      const ip = nextIp();
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => wrongLogin((i % 2 ? two : one).url, email, ip)),
      );
      // per-instance counters would have let 12 through
      expect(tally(answers)).toEqual({ 401: 6, 429: 10 });
      answers.filter((r) => r.status === 429).forEach(expectThrottled);

      // the counter lives in Redis under the account and address's key
      const key = createHash('sha256')
        .update(`AuthController-login-account-address-email:${email.toLowerCase()}|${ip}`)
        .digest('hex');
      expect(Number(await redis.get(`throttle:account-address:${key}`))).toBe(16);
      expect(await redis.pttl(`throttle:account-address:${key}:blocked`)).toBeGreaterThan(0);

      // both instances now refuse that address for this account, and sign in from another
      expectThrottled(await wrongLogin(one.url, email, ip));
      expectThrottled(await wrongLogin(two.url, email, ip));
      const right = await client(two.url).post(
        '/api/v1/auth/login',
        { email, password: PASSWORD },
        undefined,
        { 'X-Forwarded-For': nextIp() },
      );
      expect(right.status).toBe(200);
      await redis.del(`throttle:account-address:${key}`, `throttle:account-address:${key}:blocked`);
    });
  });
});
