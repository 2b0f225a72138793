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

    it('many parallel wrong passwords for one account, from as many addresses: 5 answered, the rest 429', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => wrongLogin(t.url, email, nextIp())),
      );
      expect(tally(answers)).toEqual({ 401: 5, 429: 15 });
      answers.filter((r) => r.status === 429).forEach(expectThrottled);
      // the account stays locked for the window, even with the right password
      const right = await client(t.url).post(
        '/api/v1/auth/login',
        { email, password: PASSWORD },
        undefined,
        { 'X-Forwarded-For': nextIp() },
      );
      expectThrottled(right);
    });

    it('another account is not affected by that lock', async () => {
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

    it('requests split across both instances are throttled at the combined count', async () => {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => wrongLogin((i % 2 ? two : one).url, email, nextIp())),
      );
      // per-instance counters would have let 12 through
      expect(tally(answers)).toEqual({ 401: 6, 429: 10 });
      const throttled = answers.filter((r) => r.status === 429);
      throttled.forEach(expectThrottled);

      // the counter lives in Redis under the account's key
      const key = createHash('sha256')
        .update(`AuthController-login-account-email:${email.toLowerCase()}`)
        .digest('hex');
      expect(Number(await redis.get(`throttle:account:${key}`))).toBe(16);
      expect(await redis.pttl(`throttle:account:${key}:blocked`)).toBeGreaterThan(0);

      // and both instances now refuse this account
      expectThrottled(await wrongLogin(one.url, email, nextIp()));
      expectThrottled(await wrongLogin(two.url, email, nextIp()));
      await redis.del(`throttle:account:${key}`, `throttle:account:${key}:blocked`);
    });
  });
});
