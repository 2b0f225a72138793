import { Account, createApiKey, joinTenant, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

/** POST /api/v1/tenants: "Create workspace" for someone already signed in. */
describe('POST /api/v1/tenants (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let c: Client;
  let owner: Account;
  /** a viewer of owner's workspace, and nothing else */
  let viewer: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db);
    c = client(t.url);
    owner = await signup(c, 'Maker');
    viewer = await signup(c, 'Watcher');
    viewer.token = await joinTenant(c, owner, viewer, 'viewer');
    viewer.tenantId = owner.tenantId;
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('makes a workspace with the caller as owner and answers a token for it', async () => {
    const res = await c.post('/api/v1/tenants', { name: 'Maker West' }, owner.token);
    const made = bodyOf(res, 201);
    expect(made).toMatchObject({
      role: 'owner',
      tenant: { name: 'Maker West', slug: 'maker-west', status: 'active' },
    });
    expect(made.tenant.id).not.toBe(owner.tenantId);

    const here = await c.get('/api/v1/tenant', made.token);
    expect(bodyOf(here, 200).id).toBe(made.tenant.id);
    const me = bodyOf(await c.get('/api/v1/auth/me', made.token), 200);
    expect(me).toMatchObject({ tenantId: made.tenant.id, role: 'owner' });
    expect(me.memberships.map((m: { tenant: { id: string } }) => m.tenant.id).sort()).toEqual(
      [owner.tenantId, made.tenant.id].sort(),
    );
    // its configuration exists, as signup's does
    expect(bodyOf(await c.get('/api/v1/tenant/config', made.token), 200)).toHaveProperty(
      'timezone',
    );
    // the old token still works in the old workspace
    expect(bodyOf(await c.get('/api/v1/tenant', owner.token), 200).id).toBe(owner.tenantId);
  });

  it('starts empty and apart: nothing of the old workspace is seen, nothing leaks back', async () => {
    await c.post('/api/v1/leads', { phone: '+14155550101', firstName: 'Old' }, owner.token);
    const made = bodyOf(await c.post('/api/v1/tenants', { name: 'Fresh' }, owner.token), 201);
    expect(bodyOf(await c.get('/api/v1/leads', made.token), 200).data).toEqual([]);
    const users = bodyOf(await c.get('/api/v1/users', made.token), 200).data;
    expect(users.map((u: { id: string; role: string }) => [u.id, u.role])).toEqual([
      [owner.userId, 'owner'],
    ]);
    const lead = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550102', firstName: 'New' }, made.token),
      201,
    );
    expect((await c.get(`/api/v1/leads/${lead.id}`, owner.token)).status).toBe(404);
    // the viewer of the old workspace is no member of the new one
    const switched = await c.post(
      '/api/v1/tenant/switch',
      { tenantId: made.tenant.id },
      viewer.token,
    );
    expect(switched.status).toBe(404);
  });

  it("opens the new workspace's audit log with its creation, by the caller", async () => {
    const made = bodyOf(await c.post('/api/v1/tenants', { name: 'Audited' }, owner.token), 201);
    const events = bodyOf(await c.get('/api/v1/audit-events', made.token), 200).data;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'tenant.created',
      resourceType: 'tenant',
      resourceId: made.tenant.id,
      actor: { type: 'user', id: owner.userId, name: 'Maker Owner' },
      changes: { name: [null, 'Audited'], slug: [null, 'audited'] },
    });
    const old = bodyOf(await c.get('/api/v1/audit-events?action=tenant.created', owner.token), 200);
    expect(old.data).toEqual([]);
  });

  it('takes a taken name under another slug', async () => {
    const a = bodyOf(await c.post('/api/v1/tenants', { name: 'Twice' }, owner.token), 201);
    const b = bodyOf(await c.post('/api/v1/tenants', { name: 'Twice' }, owner.token), 201);
    expect(a.tenant.slug).toBe('twice');
    expect(b.tenant.slug).toMatch(/^twice-[0-9a-f]{6}$/);
  });

  it('lets any member make one: a viewer becomes the owner of their own', async () => {
    const made = bodyOf(await c.post('/api/v1/tenants', { name: 'Viewer Own' }, viewer.token), 201);
    expect(made.role).toBe('owner');
  });

  it('refuses an API key (403), even an admin key, and writes nothing', async () => {
    const { key } = await createApiKey(c, owner, 'admin');
    const before = bodyOf(await c.get('/api/v1/tenants', owner.token), 200).data.length;
    const res = await c.post('/api/v1/tenants', { name: 'By a key' }, key);
    expect(res.status).toBe(403);
    expect(bodyOf(await c.get('/api/v1/tenants', owner.token), 200).data).toHaveLength(before);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a name of 101 characters', { name: 'x'.repeat(101) }],
    ['an unknown field', { name: 'Ok', ownerId: '00000000-0000-4000-8000-000000000000' }],
  ])('refuses %s with 400', async (_what, body) => {
    const res = await c.post('/api/v1/tenants', body, owner.token);
    expect(res.status).toBe(400);
  });

  it('refuses no token with 401', async () => {
    expect((await c.post('/api/v1/tenants', { name: 'Nobody' })).status).toBe(401);
  });
});
