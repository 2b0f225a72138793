import { request as httpRequest } from 'node:http';
import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('leads: CRUD, filters, keyset pages, CSV import and export', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let agentId: string;

  const csv = (body: string, token = a.token) =>
    fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    c = client(t.url);
    a = await signup(c, 'Leads');
    agentId = bodyOf(await c.post('/api/v1/agents', { name: 'Closer' }, a.token), 201).id;
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('creates a lead with the phone normalised to E.164 and defaults', async () => {
    const res = await c.post(
      '/api/v1/leads',
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '(415) 555-0101',
        email: 'ADA@Example.com',
        tags: ['VIP', 'vip'],
        assignedAgentId: agentId,
      },
      a.token,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      phone: '+14155550101',
      email: 'ada@example.com',
      status: 'new',
      tags: ['vip'],
      assignedAgentId: agentId,
      customFields: {},
    });
  });

  it('answers 409 for a phone already used in the tenant, in any notation', async () => {
    const res = await c.post('/api/v1/leads', { phone: '+1 415 555 0101' }, a.token);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/phone/);
  });

  it('explains an invalid phone with 400', async () => {
    const res = await c.post('/api/v1/leads', { phone: '12' }, a.token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/phone/);
  });

  it('bounds custom fields', async () => {
    const res = await c.post(
      '/api/v1/leads',
      { phone: '+14155550999', customFields: { blob: 'x'.repeat(9000) } },
      a.token,
    );
    expect(res.status).toBe(400);
  });

  it('pages newest first with an opaque cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++)
      await c.post('/api/v1/leads', { phone: `+1415555020${i}`, firstName: `Page${i}` }, a.token);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        status: number;
        body: { data: Array<{ id: string }>; nextCursor: string | null };
      } = await c.get(`/api/v1/leads?limit=3${cursor ? `&cursor=${cursor}` : ''}`, a.token);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      // a lead of a page is the lead itself: the page's keyset column is not answered
      for (const l of res.body.data)
        expect(Object.keys(l)).toEqual(
          Object.keys(bodyOf(await c.get(`/api/v1/leads/${l.id}`, a.token), 200)),
        );
      seen.push(...res.body.data.map((l) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await owner.query(
      'SELECT id FROM leads WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC',
      [a.tenantId],
    );
    expect(seen).toEqual(all.rows.map((r) => r.id));
  });

  it('rejects a forged cursor with 400', async () => {
    const res = await c.get(
      `/api/v1/leads?cursor=${Buffer.from("x' OR 1=1|y").toString('base64url')}`,
      a.token,
    );
    expect(res.status).toBe(400);
  });

  it('filters by status, agent, tag and free text', async () => {
    const q = async (qs: string) =>
      (await c.get(`/api/v1/leads?${qs}`, a.token)).body.data.map(
        (l: { phone: string }) => l.phone,
      );
    expect(await q(`agentId=${agentId}`)).toEqual(['+14155550101']);
    expect(await q('tag=vip')).toEqual(['+14155550101']);
    expect(await q('q=lovelace')).toEqual(['+14155550101']);
    expect(await q('q=5550101')).toEqual(['+14155550101']);
    expect(await q('q=100%25')).toEqual([]);
    expect((await q('status=new')).length).toBe(8);
  });

  it('imports a CSV: inserts, updates by phone, reports bad and duplicate rows by line', async () => {
    const res = await csv(
      [
        'First Name,Last Name,Phone,Email,Status,Tags,Favourite Colour',
        'Grace,Hopper,+1 415 555 0301,grace@example.com,qualified,navy;cobol,blue',
        'Bad,Phone,12345,,,,',
        'Ada,Updated,415-555-0101,,,,',
        'Bad,Status,+14155550302,,zombie,,',
        'Dup,Row,(415) 555-0301,,,,',
        'Bad,Email,+14155550303,not-an-email,,,',
        '',
        'Alan,Turing,+44 20 7946 0958,alan@example.co.uk,,,',
      ].join('\r\n'),
    );
    expect(res.status).toBe(200);
    expect(res.body.inserted).toBe(2);
    expect(res.body.updated).toBe(1);
    expect(res.body.rejected.map((r: { line: number }) => r.line)).toEqual([3, 5, 6, 7]);
    expect(res.body.rejected[2].reason).toMatch(/line 2/);
    const grace = await owner.query(
      `SELECT status, tags, custom_fields FROM leads WHERE tenant_id = $1 AND phone = '+14155550301'`,
      [a.tenantId],
    );
    expect(grace.rows[0]).toEqual({
      status: 'qualified',
      tags: ['navy', 'cobol'],
      custom_fields: { 'Favourite Colour': 'blue' },
    });
    const ada = await owner.query(
      `SELECT first_name, last_name, email, tags FROM leads WHERE tenant_id = $1 AND phone = '+14155550101'`,
      [a.tenantId],
    );
    // empty cells keep what the lead had
    expect(ada.rows[0]).toEqual({
      first_name: 'Ada',
      last_name: 'Updated',
      email: 'ada@example.com',
      tags: ['vip'],
    });
    const bad = await owner.query(
      `SELECT count(*)::int AS n FROM leads WHERE phone IN ('+14155550302', '+14155550303')`,
    );
    expect(bad.rows[0].n).toBe(0);
  });

  it('a NUL character (which PostgreSQL cannot store) costs its row, its request or its filter: 400, never 500', async () => {
    const imported = await csv('phone,first_name\n+14155550470,Nul\u0000Byte\n+14155550471,Fine\n');
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      inserted: 1,
      updated: 0,
      rejected: [{ line: 2, reason: 'the row contains a NUL character' }],
    });
    const created = await c.post(
      '/api/v1/leads',
      { phone: '+14155550472', company: 'Nul\u0000Co', customFields: { note: 'x\u0000' } },
      a.token,
    );
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const stored = await owner.query(
      `SELECT phone FROM leads WHERE tenant_id = $1 AND phone IN ('+14155550470', '+14155550471', '+14155550472')`,
      [a.tenantId],
    );
    expect(stored.rows).toEqual([{ phone: '+14155550471' }]);
    for (const path of ['/api/v1/leads?tag=%00', '/api/v1/leads/export?q=a%00b']) {
      const r = await c.get(path, a.token);
      expect(r.status).toBe(400);
      expect(r.body.message).toEqual([
        expect.stringMatching(/must not contain control characters/),
      ]);
    }
  });

  it('takes a multipart upload too', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob(['phone,first_name\n+14155550401,Multi\n'], { type: 'text/csv' }),
      'leads.csv',
    );
    const r = await fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}` },
      body: form,
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ inserted: 1, updated: 0, rejected: [] });
  });

  it('answers a multipart form cut short, or without a boundary, with 400 and keeps serving', async () => {
    const before = (await owner.query('SELECT count(*)::int AS n FROM leads')).rows[0].n;
    const post = (type: string, body: string) =>
      fetch(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${a.token}` },
        body,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const cut = await post(
      'multipart/form-data; boundary=XYZ',
      '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nphone\n+14155550490\n',
    );
    expect(cut.status).toBe(400);
    expect(cut.body.message).toMatch(/multipart form could not be read/);
    const noBoundary = await post('multipart/form-data', 'phone\n+14155550491\n');
    expect(noBoundary.status).toBe(400);
    expect((await owner.query('SELECT count(*)::int AS n FROM leads')).rows[0].n).toBe(before);
    expect((await c.get('/api/v1/leads?limit=1', a.token)).status).toBe(200);
  });

  it('refuses a CSV without a phone column, and other media types', async () => {
    expect((await csv('name,email\nx,y@example.com\n')).status).toBe(400);
    const r = await c.post('/api/v1/leads/import', { phone: '+1' }, a.token);
    expect(r.status).toBe(415);
  });

  it('refuses an import over the size limit with 413 and writes nothing', async () => {
    const before = (await owner.query('SELECT count(*)::int AS n FROM leads')).rows[0].n;
    const big =
      'phone,first_name\n' +
      Array.from(
        { length: 420_000 },
        (_, i) => `+1212${String(2000000 + i).slice(-7)},${'n'.repeat(40)}`,
      ).join('\n');
    const res = await fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
      body: big,
    });
    expect(res.status).toBe(413);
    expect((await owner.query('SELECT count(*)::int AS n FROM leads')).rows[0].n).toBe(before);
  });

  it('a client that goes away mid-export frees its connection; the API keeps serving', async () => {
    const big = await signup(c, 'BigExport');
    const rows = Array.from({ length: 30_000 }, (_, i) => `+1646${2000000 + i},${'n'.repeat(60)}`);
    const imported = await csv(`phone,first_name\n${rows.join('\n')}\n`, big.token);
    expect(imported.body).toMatchObject({ inserted: 30_000 });
    const inUse = async () =>
      Number(/^db_pool_in_use (\d+)/m.exec(String((await c.get('/metrics')).body))?.[1]);

    // Read the first bytes, then stop reading and hang up: the export is
    // waiting for the socket to drain when the client disappears.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${t.url}/api/v1/leads/export`, {
        headers: { authorization: `Bearer ${big.token}` },
      });
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          res.pause();
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 300);
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.end();
    });
    for (let i = 0; i < 50 && (await inUse()) > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await inUse()).toBe(0);
    // more requests than the pool has connections: none waits on a leaked one
    const pages = await Promise.all(
      Array.from({ length: 15 }, () => c.get('/api/v1/leads?limit=1', big.token)),
    );
    expect(pages.map((r) => r.status)).toEqual(Array(15).fill(200));
  });

  it('an import whose client hangs up halfway writes nothing and frees its connection', async () => {
    const quitter = await signup(c, 'Quitter');
    const count = async () =>
      (
        await owner.query('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [
          quitter.tenantId,
        ])
      ).rows[0].n;
    const rows = Array.from({ length: 20_000 }, (_, i) => `+1718${2000000 + i},${'q'.repeat(60)}`);
    const half = `phone,first_name\n${rows.join('\n')}\n`;
    // Declares twice the bytes it sends: the import has written batches
    // (in its transaction) when the connection drops.
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${quitter.token}`,
          'content-type': 'text/csv',
          'content-length': String(Buffer.byteLength(half) * 2),
        },
      });
      req.on('error', () => undefined);
      req.write(half, () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 1_500),
      );
    });
    const inUse = async () =>
      Number(/^db_pool_in_use (\d+)/m.exec(String((await c.get('/metrics')).body))?.[1]);
    for (let i = 0; i < 50 && (await inUse()) > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await inUse()).toBe(0);
    expect(await count()).toBe(0);
    // control: the same rows, sent whole, are imported
    expect((await csv(half, quitter.token)).body).toMatchObject({ inserted: 20_000 });
    expect(await count()).toBe(20_000);
  });

  it("exports the tenant's leads as CSV with the list filters, re-importable", async () => {
    const r = await fetch(`${t.url}/api/v1/leads/export?tag=navy`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await r.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,first_name,last_name,phone,email,company,status,source,tags,timezone,next_call_at,external_id,assigned_agent,last_contacted_at,created_at,Favourite Colour',
    );
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain('+14155550301');
    const again = await csv(lines.join('\n'));
    expect(again.body).toEqual({ inserted: 0, updated: 1, rejected: [] });
  });

  it('updates and deletes by id; 404 afterwards', async () => {
    const created = (await c.post('/api/v1/leads', { phone: '+14155550501' }, a.token)).body;
    const upd = await c.patch(
      `/api/v1/leads/${created.id}`,
      { status: 'do_not_call', company: 'Initech' },
      a.token,
    );
    expect(upd.body).toMatchObject({ status: 'do_not_call', company: 'Initech' });
    expect(
      (await c.patch(`/api/v1/leads/${created.id}`, { phone: '+14155550101' }, a.token)).status,
    ).toBe(409);
    expect((await c.delete(`/api/v1/leads/${created.id}`, a.token)).status).toBe(204);
    expect((await c.get(`/api/v1/leads/${created.id}`, a.token)).status).toBe(404);
  });

  describe('externalId, the CRM id', () => {
    const ids = async (qs: string) =>
      bodyOf(await c.get(`/api/v1/leads?${qs}`, a.token), 200).data.map(
        (l: { externalId: string }) => l.externalId,
      );

    it('is set on create and PATCH, answered, unique in the tenant (409 naming it), and a filter', async () => {
      const made = bodyOf(
        await c.post('/api/v1/leads', { phone: '+14155550701', externalId: 'crm-1' }, a.token),
        201,
      );
      expect(made.externalId).toBe('crm-1');
      const other = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550702' }, a.token), 201);
      expect(other.externalId).toBeNull();
      const taken = await c.patch(`/api/v1/leads/${other.id}`, { externalId: 'crm-1' }, a.token);
      expect(taken.status).toBe(409);
      expect(taken.body.message).toMatch(/^externalId: /);
      expect(
        (await c.patch(`/api/v1/leads/${other.id}`, { externalId: 'crm-2' }, a.token)).body,
      ).toMatchObject({ externalId: 'crm-2' });
      expect(await ids('externalId=crm-2')).toEqual(['crm-2']);
      expect(await ids('externalId=nobody')).toEqual([]);
      // another tenant may use the same CRM id
      const b = await signup(c, 'OtherCrm');
      expect(
        (await c.post('/api/v1/leads', { phone: '+14155550701', externalId: 'crm-1' }, b.token))
          .status,
      ).toBe(201);
    });

    it('is imported (set and updated by phone) and exported; a value twice or taken costs its row', async () => {
      const res = await csv(
        'phone,external_id\n+14155550711,crm-11\n+14155550712,crm-11\n+14155550701,crm-1b\n+14155550713,crm-2\n',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        inserted: 1,
        updated: 1,
        rejected: [
          { line: 3, reason: 'externalId crm-11 already appears on line 2' },
          {
            line: 5,
            reason: 'externalId crm-2 already belongs to the lead with phone +14155550702',
          },
        ],
      });
      expect(await ids('externalId=crm-1b')).toEqual(['crm-1b']);
      const r = await fetch(`${t.url}/api/v1/leads/export?externalId=crm-11`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      const [header, row] = (await r.text()).trim().split('\r\n');
      const cols = header.split(',');
      expect(row.split(',')[cols.indexOf('external_id')]).toBe('crm-11');
    });
  });
});
