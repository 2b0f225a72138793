import { randomBytes } from 'node:crypto';
import { Account, signup } from '../testing/accounts';
import { client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

/** Custom domains: unique, resolvable, cached in Redis across instances and invalidated on change. */
describe('tenant domains', () => {
  let db: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let noRedis: TestApp;
  let a: Account;
  const domain = `calls-${randomBytes(4).toString('hex')}.example.com`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    [one, two] = await Promise.all([startTestApp(db, redis), startTestApp(db, redis)]);
    // a Redis that is not there: the API must keep working on the database alone
    noRedis = await startTestApp(db, { REDIS_URL: 'redis://127.0.0.1:1' });
    a = await signup(client(one.url), 'Domain');
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close(), noRedis?.close()]);
    await db?.drop();
  });

  it('sets a domain (lower-cased), refuses one already taken (409), resolves it publicly', async () => {
    const c1 = client(one.url);
    const set = await c1.patch('/api/v1/tenant', { domain: domain.toUpperCase() }, a.token);
    expect(set.status).toBe(200);
    expect(set.body.domain).toBe(domain);
    const other = await signup(c1, 'Squatter');
    expect((await c1.patch('/api/v1/tenant', { domain }, other.token)).status).toBe(409);
    const resolved = await c1.get(`/api/v1/tenants/resolve?domain=${domain}`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({
      id: a.tenantId,
      name: 'Domain Calls',
      slug: expect.any(String),
    });
    expect((await c1.get('/api/v1/tenants/resolve?domain=nobody.example.com')).status).toBe(404);
    expect((await c1.get('/api/v1/tenants/resolve?domain=not a host')).status).toBe(400);
  });

  it('invalidates the cached lookup on every instance when the tenant changes', async () => {
    const c1 = client(one.url);
    const c2 = client(two.url);
    expect((await c1.get(`/api/v1/tenants/resolve?domain=${domain}`)).body.name).toBe(
      'Domain Calls',
    );
    expect((await c2.patch('/api/v1/tenant', { name: 'Renamed Calls' }, a.token)).status).toBe(200);
    expect((await c1.get(`/api/v1/tenants/resolve?domain=${domain}`)).body.name).toBe(
      'Renamed Calls',
    );
    expect((await c2.patch('/api/v1/tenant', { domain: null }, a.token)).status).toBe(200);
    expect((await c1.get(`/api/v1/tenants/resolve?domain=${domain}`)).status).toBe(404);
  });

  it('keeps answering without Redis', async () => {
    const c3 = client(noRedis.url);
    expect((await c3.get(`/api/v1/tenants/resolve?domain=${domain}`)).status).toBe(404);
    expect((await c3.get('/api/v1/tenant', a.token)).status).toBe(200);
  });
});
