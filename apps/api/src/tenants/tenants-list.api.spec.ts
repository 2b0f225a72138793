import { Account, joinTenant, signup } from '../testing/accounts';
import { Client, Res, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

/** GET /api/v1/tenants is a list like the others: limit, cursor, newest membership first. */
describe('GET /api/v1/tenants (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let c: Client;
  /** x joined its own tenant first, then first's, then second's */
  let x: Account;
  let first: Account;
  let second: Account;
  let outsider: Account;

  const ids = (res: { body: { data: Array<{ tenant: { id: string } }> } }) =>
    res.body.data.map((m) => m.tenant.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db);
    c = client(t.url);
    x = await signup(c, 'Roamer');
    first = await signup(c, 'First');
    second = await signup(c, 'Second');
    outsider = await signup(c, 'Outsider');
    await joinTenant(c, first, x, 'member');
    await joinTenant(c, second, x, 'viewer');
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('answers {data, nextCursor} newest membership first, with the role in each', async () => {
    const res = await c.get('/api/v1/tenants', x.token);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([second.tenantId, first.tenantId, x.tenantId]);
    expect(res.body.data.map((m: { role: string }) => m.role)).toEqual([
      'viewer',
      'member',
      'owner',
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages with limit and the nextCursor it returns, each tenant once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res: Res = await c.get(`/api/v1/tenants${query}`, x.token);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 5);
    expect(seen).toEqual([second.tenantId, first.tenantId, x.tenantId]);

    const two = await c.get('/api/v1/tenants?limit=2', x.token);
    expect(ids(two)).toEqual([second.tenantId, first.tenantId]);
    const rest = await c.get(`/api/v1/tenants?limit=2&cursor=${two.body.nextCursor}`, x.token);
    expect(ids(rest)).toEqual([x.tenantId]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it.each([
    ['a cursor it did not issue', '?cursor=abc'],
    ['limit 0', '?limit=0'],
    ['limit 201', '?limit=201'],
    ['a limit that is not a number', '?limit=ten'],
    ['an unknown parameter', `?tenantId=00000000-0000-4000-8000-000000000000`],
  ])('refuses %s with 400', async (_what, query) => {
    const res = await c.get(`/api/v1/tenants${query}`, x.token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it("never lists another user's tenants, even with x's cursor", async () => {
    const page = await c.get('/api/v1/tenants?limit=1', x.token);
    const res = await c.get(`/api/v1/tenants?cursor=${page.body.nextCursor}`, outsider.token);
    expect(res.status).toBe(200);
    for (const id of ids(res)) expect(id).toBe(outsider.tenantId);
    expect(ids(await c.get('/api/v1/tenants', outsider.token))).toEqual([outsider.tenantId]);
  });

  it('leaves GET /auth/me as it was: every membership, in a plain array', async () => {
    const me = await c.get('/api/v1/auth/me', x.token);
    expect(me.status).toBe(200);
    expect(Array.isArray(me.body.memberships)).toBe(true);
    expect(me.body.memberships.map((m: { tenant: { id: string } }) => m.tenant.id).sort()).toEqual(
      [second.tenantId, first.tenantId, x.tenantId].sort(),
    );
  });
});
