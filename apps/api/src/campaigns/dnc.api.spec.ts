import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { DncEntry, DncPage } from '@acc/contracts';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('do-not-call list (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let member: Account;
  let viewer: Account;
  let b: Account;

  const rows = async (tenantId: string) =>
    (
      await owner.query(
        'SELECT phone, reason, created_by, created_by_key FROM dnc_numbers WHERE tenant_id = $1 ORDER BY phone',
        [tenantId],
      )
    ).rows;

  const csv = (body: string, token: string) =>
    fetch(`${t.url}/api/v1/dnc/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'Dnc'), signup(c, 'Other')]);
    member = await addMember(c, smtp, a, 'member');
    viewer = await addMember(c, smtp, a, 'viewer');
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('a member adds a number in any common notation: stored in E.164 with the reason and who added it', async () => {
    const res = await c.post(
      '/api/v1/dnc',
      { phone: '(415) 555-0170', reason: 'asked on the phone' },
      member.token,
    );
    expect(res.status).toBe(201);
    expect(DncEntry.parse(res.body)).toEqual({
      id: expect.any(String),
      phone: '+14155550170',
      reason: 'asked on the phone',
      createdAt: expect.any(String),
      createdBy: { type: 'user', id: member.userId, name: 'member person' },
    });
    const listed = DncPage.parse(bodyOf(await c.get('/api/v1/dnc', viewer.token), 200));
    expect(listed.data).toEqual([res.body]);
  });

  it('listing a number again answers 200 with the first entry, unchanged', async () => {
    const first = bodyOf(await c.post('/api/v1/dnc', { phone: '+44 20 7946 0958' }, a.token), 201);
    const again = await c.post(
      '/api/v1/dnc',
      { phone: '+442079460958', reason: 'a second reason' },
      member.token,
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    expect((await rows(a.tenantId)).filter((r) => r.phone === '+442079460958')).toHaveLength(1);
  });

  it('an API key is named as the author', async () => {
    const key = await createApiKey(c, a, 'member', { name: 'CRM sync' });
    const res = bodyOf(await c.post('/api/v1/dnc', { phone: '+14155550171' }, key.key), 201);
    expect(res.createdBy).toEqual({ type: 'api_key', id: key.id, name: 'CRM sync' });
  });

  it.each([
    ['not a phone', { phone: 'not a phone' }],
    ['an area code that does not exist', { phone: '+1 200 555 0100' }],
    ['an empty phone', { phone: '' }],
    ['no phone', {}],
    ['a reason over 500 characters', { phone: '+14155550172', reason: 'x'.repeat(501) }],
    ['a tenantId', { phone: '+14155550172', tenantId: randomUUID() }],
    ['a number, not a string', { phone: 14155550172 }],
  ])('refuses %s with 400, nothing written', async (_name, body) => {
    const before = await rows(a.tenantId);
    const res = await c.post('/api/v1/dnc', body, a.token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(await rows(a.tenantId)).toEqual(before);
  });

  it('finds numbers by their digits, pages newest first', async () => {
    const own = await signup(c, 'Paged');
    for (const n of ['+14155550181', '+14155550182', '+14155550183'])
      bodyOf(await c.post('/api/v1/dnc', { phone: n }, own.token), 201);
    const p1 = bodyOf(await c.get('/api/v1/dnc?limit=2', own.token), 200);
    const p2 = bodyOf(await c.get(`/api/v1/dnc?limit=2&cursor=${p1.nextCursor}`, own.token), 200);
    expect([...p1.data, ...p2.data].map((d: DncEntry) => d.phone)).toEqual([
      '+14155550183',
      '+14155550182',
      '+14155550181',
    ]);
    expect(p2.nextCursor).toBeNull();
    const found = bodyOf(await c.get('/api/v1/dnc?q=0182', own.token), 200);
    expect(found.data.map((d: DncEntry) => d.phone)).toEqual(['+14155550182']);
    expect((await c.get('/api/v1/dnc?cursor=nope', own.token)).status).toBe(400);
    expect((await c.get('/api/v1/dnc?tenantId=x', own.token)).status).toBe(400);
  });

  it('a viewer may not add, import or remove (403); a member may not remove (admin+)', async () => {
    const { id } = bodyOf(await c.post('/api/v1/dnc', { phone: '+14155550173' }, a.token), 201);
    const before = await rows(a.tenantId);
    expect((await c.post('/api/v1/dnc', { phone: '+14155550174' }, viewer.token)).status).toBe(403);
    expect((await csv('phone\n+14155550175\n', viewer.token)).status).toBe(403);
    expect((await c.delete(`/api/v1/dnc/${id}`, viewer.token)).status).toBe(403);
    expect((await c.delete(`/api/v1/dnc/${id}`, member.token)).status).toBe(403);
    expect(await rows(a.tenantId)).toEqual(before);
    expect((await c.delete(`/api/v1/dnc/${id}`, a.token)).status).toBe(204);
    expect((await c.delete(`/api/v1/dnc/${id}`, a.token)).status).toBe(404);
    expect((await rows(a.tenantId)).map((r) => r.phone)).not.toContain('+14155550173');
  });

  it("another tenant's entry: not listed, and removing it is 404 like a random id, kept", async () => {
    const theirs = bodyOf(await c.post('/api/v1/dnc', { phone: '+14155550176' }, b.token), 201);
    const foreign = await c.delete(`/api/v1/dnc/${theirs.id}`, a.token);
    const random = await c.delete(`/api/v1/dnc/${randomUUID()}`, a.token);
    expect([foreign.status, random.status]).toEqual([404, 404]);
    expect({ ...foreign.body, requestId: undefined }).toEqual({
      ...random.body,
      requestId: undefined,
    });
    expect((await rows(b.tenantId)).map((r) => r.phone)).toEqual(['+14155550176']);
    const listed = bodyOf(await c.get('/api/v1/dnc?limit=200', a.token), 200);
    expect(listed.data.map((d: DncEntry) => d.id)).not.toContain(theirs.id);
    // the same number in A is A's own entry
    expect((await c.post('/api/v1/dnc', { phone: '+14155550176' }, a.token)).status).toBe(201);
  });

  it('imports a CSV: numbers normalised, bad and repeated lines reported, listed ones kept', async () => {
    const own = await signup(c, 'Importer');
    bodyOf(await c.post('/api/v1/dnc', { phone: '+14155550191', reason: 'first' }, own.token), 201);
    const res = await csv(
      [
        'Name,Phone Number,Reason',
        'Ann,(415) 555-0190,complained',
        'Bob,+14155550191,again',
        'Cy,nope,',
        'Di,415-555-0190,twice',
        'Ed,+442079460958,',
      ].join('\n'),
      own.token,
    );
    expect(res).toEqual({
      status: 200,
      body: {
        inserted: 2,
        existing: 1,
        rejected: [
          { line: 4, reason: expect.stringContaining('nope') },
          { line: 5, reason: '+14155550190 already appears on line 2' },
        ],
      },
    });
    expect(await rows(own.tenantId)).toEqual([
      { phone: '+14155550190', reason: 'complained', created_by: own.userId, created_by_key: null },
      { phone: '+14155550191', reason: 'first', created_by: own.userId, created_by_key: null },
      { phone: '+442079460958', reason: null, created_by: own.userId, created_by_key: null },
    ]);
  });

  it('refuses a CSV without a phone column (400, nothing written)', async () => {
    const before = await rows(a.tenantId);
    const res = await csv('name,email\nAnn,ann@example.com\n', a.token);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/phone column/);
    expect(await rows(a.tenantId)).toEqual(before);
  });
});
