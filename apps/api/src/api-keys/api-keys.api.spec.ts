import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { ApiKey, CreatedApiKey } from '@acc/contracts';
import { ApiKeyUsage } from '../access/api-key-usage.service';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { routeRules } from '../testing/routes';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { captureSql } from '../testing/sql-capture';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A different base62 character at position i of a key. */
const alter = (key: string, i: number) =>
  key.slice(0, i) + (key[i] === 'A' ? 'B' : 'A') + key.slice(i + 1);

describe('workspace API keys (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let member: Account;
  let b: Account;
  let leadB: string;

  /** Everything of a tenant a key must never change from a people-only route. */
  const identityState = async (tenantId: string) =>
    JSON.stringify(
      (
        await owner.query(
          `SELECT (SELECT row_to_json(t) FROM tenants t WHERE id = $1) AS tenant,
                  (SELECT row_to_json(c) FROM tenant_configs c WHERE tenant_id = $1) AS config,
                  (SELECT json_agg(tu ORDER BY user_id) FROM tenant_users tu WHERE tenant_id = $1) AS members,
                  (SELECT json_agg(i ORDER BY id) FROM invitations i WHERE tenant_id = $1) AS invitations,
                  (SELECT json_agg(k.id ORDER BY id) FROM api_keys k WHERE tenant_id = $1) AS keys`,
          [tenantId],
        )
      ).rows[0],
    );

  const leadCount = async (tenantId: string) =>
    (await owner.query('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [tenantId]))
      .rows[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'Keys'), signup(c, 'Other')]);
    member = await addMember(c, smtp, a, 'member');
    leadB = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550101' }, b.token), 201).id;
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('managing keys', () => {
    it('an admin creates a key shown once: acc_ + 43 base62 characters; only its SHA-256 is stored', async () => {
      const res = await c.post('/api/v1/api-keys', { name: 'CRM sync', role: 'member' }, a.token);
      expect(res.status).toBe(201);
      const created = CreatedApiKey.parse(res.body);
      expect(created).toMatchObject({
        name: 'CRM sync',
        role: 'member',
        expiresAt: null,
        lastUsedAt: null,
        createdBy: { id: a.userId, name: 'Keys Owner' },
      });
      expect(created.key).toMatch(/^acc_[0-9A-Za-z]{43}$/);
      expect(created.prefix).toBe(created.key.slice(0, 10));

      const { rows } = await owner.query('SELECT * FROM api_keys WHERE id = $1', [created.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].key_hash).toEqual(sha256(created.key));
      expect(JSON.stringify(rows[0])).not.toContain(created.key.slice(10));

      const list = bodyOf(await c.get('/api/v1/api-keys', a.token), 200);
      const listed = list.data.find((k: ApiKey) => k.id === created.id);
      const { key: _key, ...withoutKey } = created;
      expect(listed).toEqual(withoutKey);
      expect(JSON.stringify(list)).not.toContain(created.key.slice(10));
    });

    it('keys differ every time (random, not derived)', async () => {
      const [k1, k2] = await Promise.all([
        createApiKey(c, a, 'viewer'),
        createApiKey(c, a, 'viewer'),
      ]);
      expect(k1.key).not.toBe(k2.key);
      expect(k1.key.slice(4, 10)).not.toBe(k2.key.slice(4, 10));
    });

    it('takes an expiry in the future; refuses one in the past, an owner key, unknown fields (400, nothing written)', async () => {
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const ok = await c.post(
        '/api/v1/api-keys',
        { name: 'Expiring', role: 'viewer', expiresAt: later },
        a.token,
      );
      expect(ok.status).toBe(201);
      expect(Date.parse(ok.body.expiresAt)).toBe(Date.parse(later));

      const before = await identityState(a.tenantId);
      for (const body of [
        { name: 'Past', role: 'viewer', expiresAt: new Date(Date.now() - 60_000).toISOString() },
        { name: 'Owner', role: 'owner' },
        { name: 'Extra', role: 'viewer', tenantId: b.tenantId },
        { name: '', role: 'viewer' },
        { name: 'x'.repeat(101), role: 'viewer' },
        { name: 'No role' },
        { name: 'Bad date', role: 'viewer', expiresAt: 'tomorrow' },
      ]) {
        const res = await c.post('/api/v1/api-keys', body, a.token);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
      expect(await identityState(a.tenantId)).toBe(before);
    });

    it('a member may neither list, create nor revoke keys (403)', async () => {
      const { id } = await createApiKey(c, a, 'viewer');
      const before = await identityState(a.tenantId);
      expect((await c.get('/api/v1/api-keys', member.token)).status).toBe(403);
      expect(
        (await c.post('/api/v1/api-keys', { name: 'Mine', role: 'viewer' }, member.token)).status,
      ).toBe(403);
      expect((await c.delete(`/api/v1/api-keys/${id}`, member.token)).status).toBe(403);
      expect(await identityState(a.tenantId)).toBe(before);
    });

    it('lists in keyset pages, newest first', async () => {
      const made = [];
      const own = await signup(c, 'Paged');
      for (let i = 0; i < 3; i++)
        made.push(await createApiKey(c, own, 'viewer', { name: `k${i}` }));
      const p1 = bodyOf(await c.get('/api/v1/api-keys?limit=2', own.token), 200);
      const p2 = bodyOf(
        await c.get(`/api/v1/api-keys?limit=2&cursor=${p1.nextCursor}`, own.token),
        200,
      );
      expect([...p1.data, ...p2.data].map((k: ApiKey) => k.name)).toEqual(['k2', 'k1', 'k0']);
      expect(p2.nextCursor).toBeNull();
      expect((await c.get('/api/v1/api-keys?cursor=nope', own.token)).status).toBe(400);
    });

    it("revoking another tenant's key is 404 like a random id, and that key keeps working", async () => {
      const theirs = await createApiKey(c, b, 'viewer');
      const foreign = await c.delete(`/api/v1/api-keys/${theirs.id}`, a.token);
      const random = await c.delete(`/api/v1/api-keys/${randomUUID()}`, a.token);
      expect([foreign.status, random.status]).toEqual([404, 404]);
      expect({ ...foreign.body, requestId: undefined }).toEqual({
        ...random.body,
        requestId: undefined,
      });
      expect((await c.get('/api/v1/tenant', theirs.key)).body.id).toBe(b.tenantId);
      const listed = bodyOf(await c.get('/api/v1/api-keys?limit=200', a.token), 200);
      expect(listed.data.map((k: ApiKey) => k.id)).not.toContain(theirs.id);
    });
  });

  describe('a key authenticates as its tenant, at its role, never above', () => {
    it('a member key reads and writes the tenant data, not admin routes', async () => {
      const { key } = await createApiKey(c, a, 'member');
      const tenant = await c.get('/api/v1/tenant', key);
      expect(tenant.status).toBe(200);
      expect(tenant.body.id).toBe(a.tenantId);
      const lead = await c.post('/api/v1/leads', { phone: '+14155550102' }, key);
      expect(lead.status).toBe(201);
      expect((await c.get(`/api/v1/leads/${lead.body.id}`, a.token)).status).toBe(200);
      expect((await c.get('/api/v1/tenant/usage', key)).status).toBe(403);
    });

    it('a viewer key reads and may not write (403, nothing written)', async () => {
      const { key } = await createApiKey(c, a, 'viewer');
      expect((await c.get('/api/v1/leads', key)).status).toBe(200);
      const before = await leadCount(a.tenantId);
      const res = await c.post('/api/v1/leads', { phone: '+14155550103' }, key);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await leadCount(a.tenantId)).toBe(before);
    });

    it('an admin key reads admin routes', async () => {
      const { key } = await createApiKey(c, a, 'admin');
      expect((await c.get('/api/v1/tenant/usage', key)).status).toBe(200);
    });

    it("a key of A with B's lead id: 404 like a random id, B's lead untouched", async () => {
      const { key } = await createApiKey(c, a, 'admin');
      const before = (await owner.query('SELECT * FROM leads WHERE id = $1', [leadB])).rows;
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const body = method === 'PATCH' ? { company: 'hijacked' } : undefined;
        const theirs = await c.call(method, `/api/v1/leads/${leadB}`, { token: key, body });
        const random = await c.call(method, `/api/v1/leads/${randomUUID()}`, { token: key, body });
        expect([method, theirs.status, random.status]).toEqual([method, 404, 404]);
        expect({ ...theirs.body, requestId: undefined }).toEqual({
          ...random.body,
          requestId: undefined,
        });
      }
      expect((await owner.query('SELECT * FROM leads WHERE id = $1', [leadB])).rows).toEqual(
        before,
      );
      const listed = bodyOf(await c.get('/api/v1/leads?limit=200', key), 200);
      expect(listed.data.map((l: { id: string }) => l.id)).not.toContain(leadB);
      const smuggled = await c.get('/api/v1/tenant', key, { 'x-tenant-id': b.tenantId });
      expect(smuggled.body.id).toBe(a.tenantId);
    });

    it('an admin key gets 403 on every people-only route, whatever it sends, and changes nothing', async () => {
      const { key } = await createApiKey(c, a, 'admin');
      const peopleOnly = routeRules(t.app).filter((r) => r.peopleOnly);
      expect(peopleOnly.map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining([
          'GET /api/v1/api-keys',
          'POST /api/v1/api-keys',
          'DELETE /api/v1/api-keys/:id',
          'POST /api/v1/users',
          'PATCH /api/v1/users/:id',
          'DELETE /api/v1/users/:id',
          'PATCH /api/v1/tenant',
          'PUT /api/v1/tenant/config',
          'GET /api/v1/auth/me',
        ]),
      );
      const before = await identityState(a.tenantId);
      const answers = [];
      for (const r of peopleOnly) {
        const path = r.path.replace(/:[A-Za-z]+/g, member.userId);
        const body = ['GET', 'DELETE'].includes(r.method)
          ? undefined
          : { name: 'By a key', role: 'admin', email: 'key@example.com', fullName: 'Key' };
        const res = await c.call(r.method, path, { token: key, body });
        answers.push(`${r.method} ${r.path} ${res.status} ${res.body.error}`);
      }
      expect(answers).toEqual(peopleOnly.map((r) => `${r.method} ${r.path} 403 Forbidden`));
      expect(await identityState(a.tenantId)).toBe(before);
    });

    it('the people-only routes still serve a person (control)', async () => {
      expect((await c.get('/api/v1/auth/me', a.token)).status).toBe(200);
      expect((await c.get('/api/v1/api-keys', a.token)).status).toBe(200);
    });
  });

  describe('refused keys: 401, never 500', () => {
    let valid: string;
    beforeAll(async () => {
      valid = (await createApiKey(c, a, 'admin')).key;
    });

    const cases: Array<[string, () => string]> = [
      ['the last character altered', () => alter(valid, valid.length - 1)],
      ['the first secret character altered', () => alter(valid, 4)],
      ['one character short', () => valid.slice(0, -1)],
      ['one character more', () => `${valid}A`],
      ['the prefix upper-cased', () => `ACC_${valid.slice(4)}`],
      ['another prefix', () => `acx_${valid.slice(4)}`],
      ['the display prefix alone', () => valid.slice(0, 10)],
      [
        'a well-formed key nobody issued',
        () => `acc_${[...randomBytes(43)].map((n) => BASE62[n % 62]).join('')}`,
      ],
      ['the stored hash instead of the key', () => sha256(valid).toString('hex')],
      ['not base62', () => `acc_${'-'.repeat(43)}`],
      ['an injection', () => `acc_'OR'1'='1`],
      ['nothing after the prefix', () => 'acc_'],
    ];

    it('accepts the key itself (control)', async () => {
      expect((await c.get('/api/v1/tenant', valid)).status).toBe(200);
    });

    it.each(cases)('%s', async (_name, make) => {
      const res = await c.get('/api/v1/tenant', make());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('a revoked key: 204, then 401 on its very next request; revoking again is 404', async () => {
      const { id, key } = await createApiKey(c, a, 'member');
      expect((await c.get('/api/v1/leads', key)).status).toBe(200);
      expect((await c.delete(`/api/v1/api-keys/${id}`, a.token)).status).toBe(204);
      const res = await c.get('/api/v1/leads', key);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await c.delete(`/api/v1/api-keys/${id}`, a.token)).status).toBe(404);
      expect((await owner.query('SELECT 1 FROM api_keys WHERE id = $1', [id])).rowCount).toBe(0);
    });

    it('an expired key: 401', async () => {
      const { id, key } = await createApiKey(c, a, 'member', {
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect((await c.get('/api/v1/leads', key)).status).toBe(200);
      await owner.query(
        `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      expect((await c.get('/api/v1/leads', key)).status).toBe(401);
    });
  });

  describe('last use', () => {
    it('is recorded without a write per request, and shown in the list', async () => {
      const own = await signup(c, 'Used');
      const { id, key } = await createApiKey(c, own, 'viewer');
      const lastUsed = async () =>
        (await owner.query('SELECT last_used_at FROM api_keys WHERE id = $1', [id])).rows[0]
          .last_used_at;
      expect(await lastUsed()).toBeNull();

      const sent = captureSql(t.app);
      const requests = 20;
      try {
        for (let i = 0; i < requests; i++)
          expect((await c.get('/api/v1/leads', key)).status).toBe(200);
      } finally {
        sent.stop();
      }
      const statements = sent.take().map((s) => s.sql);
      expect(statements.filter((s) => s.includes('app_begin_key'))).toHaveLength(requests);
      // the notes are written every 10 s: at most a flush or two can fall in between, never one per request
      expect(statements.filter((s) => /UPDATE api_keys/.test(s)).length).toBeLessThan(requests / 2);

      await t.app.get(ApiKeyUsage).flush();
      const written = await lastUsed();
      expect(written).not.toBeNull();
      const listed = bodyOf(await c.get('/api/v1/api-keys', own.token), 200);
      expect(Date.parse(listed.data[0].lastUsedAt)).toBe(new Date(written).getTime());
    });

    it('the list shows a use not yet written (the tenant is flushed in the list request)', async () => {
      const own = await signup(c, 'Fresh');
      const { key } = await createApiKey(c, own, 'viewer');
      expect((await c.get('/api/v1/tenant', key)).status).toBe(200);
      const listed = bodyOf(await c.get('/api/v1/api-keys', own.token), 200);
      expect(listed.data[0].lastUsedAt).not.toBeNull();
    });
  });
});
