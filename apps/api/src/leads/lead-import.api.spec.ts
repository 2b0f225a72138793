import { gzipSync } from 'node:zlib';
import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('lead import: malformed CSV, values the JSON API refuses, export round trip', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;

  const csv = (body: string, token = a.token) =>
    fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  const multipart = (body: string) => {
    const form = new FormData();
    form.append('file', new Blob([body], { type: 'text/csv' }), 'leads.csv');
    return fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}` },
      body: form,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  };

  const leads = async (phones: string[], columns = 'phone, first_name') =>
    (
      await owner.query(
        `SELECT ${columns} FROM leads WHERE tenant_id = $1 AND phone = ANY ($2) ORDER BY phone`,
        [a.tenantId, phones],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    c = client(t.url);
    a = await signup(c, 'Importer');
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('reads a gzip-encoded CSV, as a text/csv body or inside a multipart form', async () => {
    const body = 'phone,first_name\n+14155551301,Zip\n+14155551302,Zap\n';
    const send = (payload: Uint8Array<ArrayBuffer>, type: string) =>
      fetch(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: {
          'content-type': type,
          'content-encoding': 'gzip',
          authorization: `Bearer ${a.token}`,
        },
        body: payload,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await send(new Uint8Array(gzipSync(body)), 'text/csv')).toEqual({
      status: 200,
      body: { inserted: 2, updated: 0, rejected: [] },
    });
    const form = new Response(
      (() => {
        const f = new FormData();
        f.append('file', new Blob([body.replace(/Z/g, 'Q')], { type: 'text/csv' }), 'l.csv');
        return f;
      })(),
    );
    const multipartBytes = Buffer.from(await form.arrayBuffer());
    const type = form.headers.get('content-type') as string;
    expect(await send(new Uint8Array(gzipSync(multipartBytes)), type)).toEqual({
      status: 200,
      body: { inserted: 0, updated: 2, rejected: [] },
    });
    expect(await leads(['+14155551301', '+14155551302'])).toEqual([
      { phone: '+14155551301', first_name: 'Qip' },
      { phone: '+14155551302', first_name: 'Qap' },
    ]);
  });

  it('says so when a CSV is separated by semicolons or tabs instead of commas', async () => {
    for (const [sep, name] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
    ]) {
      const res = await csv(`phone${sep}first_name\n+14155551401${sep}Semi\n`);
      expect(res).toEqual({
        status: 400,
        body: expect.objectContaining({
          message: `the CSV must be comma-separated; its header is separated by ${name}`,
        }),
      });
    }
    expect((await csv('name,email\nA,a@example.com\n')).body.message).toMatch(/no phone column/);
  });

  it('keeps a quote inside an unquoted field literally, as a text/csv body or a multipart file', async () => {
    const body = 'phone,first_name\n+14155551206,John "Johnny" Smith\n';
    expect(await csv(body)).toEqual({
      status: 200,
      body: { inserted: 1, updated: 0, rejected: [] },
    });
    expect(await multipart(body.replace('1206', '1207'))).toEqual({
      status: 200,
      body: { inserted: 1, updated: 0, rejected: [] },
    });
    expect(await leads(['+14155551206', '+14155551207'])).toEqual([
      { phone: '+14155551206', first_name: 'John "Johnny" Smith' },
      { phone: '+14155551207', first_name: 'John "Johnny" Smith' },
    ]);
  });

  it('a quote never closed costs its record only, reported on the line where it opens', async () => {
    const res = await csv(
      [
        'phone,first_name',
        '',
        '+14155551210,"Multi',
        'line",x',
        '+14155551211,Kept',
        '+14155551212,"Never closed',
        '+14155551213,Swallowed',
        '',
      ].join('\n'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      inserted: 2,
      updated: 0,
      rejected: [{ line: 6, reason: expect.stringMatching(/never closed.*lines 6-7/) }],
    });
    expect(await leads(['+14155551210', '+14155551211', '+14155551212', '+14155551213'])).toEqual([
      { phone: '+14155551210', first_name: 'Multi\nline' },
      { phone: '+14155551211', first_name: 'Kept' },
    ]);
  });

  it('reports lines right after a quoted cell with a CRLF inside (a CRLF file), and stores it as LF', async () => {
    const body =
      'phone,first_name\r\n+14155551501,"Two\r\nlines"\r\nnot-a-phone,Bad\r\n+14155551502,Ok\r\n';
    const res = await csv(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ inserted: 2, rejected: [{ line: 4 }] });
    expect(await leads(['+14155551501'])).toEqual([
      { phone: '+14155551501', first_name: 'Two\nlines' },
    ]);
  });

  it('a record over the size limit (a quote left open in a long file) is a 400 naming its line; nothing is written', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `+1415666${String(i).padStart(4, '0')},R`);
    const res = await csv(
      ['phone,first_name', '+14155551220,Fine', '+14155551221,"Open', ...rows].join('\r\n'),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/record starting on line 3 is longer than/),
    });
    expect(await leads(['+14155551220', '+14155551221', '+14156660000'])).toEqual([]);
  });

  it('export neutralises every formula but plain numbers; re-importing the export gives back the same values', async () => {
    const b = await signup(c, 'Formulas');
    const fields = {
      firstName: "-2+3+cmd|' /C calc'!A0",
      lastName: '+1+HYPERLINK("http://evil","x")',
      company: '=1+1',
      source: '-12.5',
      email: 'a@example.com',
    };
    const escapeLike = { firstName: "'=quoted", lastName: "'Brien" };
    const first = await c.post('/api/v1/leads', { phone: '+14155550200', ...fields }, b.token);
    const second = await c.post('/api/v1/leads', { phone: '+14155550202', ...escapeLike }, b.token);
    const exported = await fetch(`${t.url}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${b.token}` },
    }).then((r) => r.text());
    const lines = exported.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(
      `,'-2+3+cmd|' /C calc'!A0,"'+1+HYPERLINK(""http://evil"",""x"")",+14155550200,a@example.com,'=1+1,new,-12.5,`,
    );
    expect(lines[1]).toContain(`,''=quoted,'Brien,+14155550202,`);
    expect(await csv(lines.join('\n'), b.token)).toEqual({
      status: 200,
      body: { inserted: 0, updated: 2, rejected: [] },
    });
    expect((await c.get(`/api/v1/leads/${first.body.id}`, b.token)).body).toMatchObject(fields);
    expect((await c.get(`/api/v1/leads/${second.body.id}`, b.token)).body).toMatchObject(
      escapeLike,
    );
    // a spreadsheet user's own escape reads the same way
    expect((await csv("phone,first_name\n'+14155550201,'@me\n", b.token)).body.inserted).toBe(1);
    const [imported] = (await c.get('/api/v1/leads?q=5550201', b.token)).body.data;
    expect(imported).toMatchObject({ phone: '+14155550201', firstName: '@me' });
  });

  it('export then re-import round-trips: agents by name, tags as the import splits them, custom fields', async () => {
    const b = await signup(c, 'Roundtrip');
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Ava Assigned' }, b.token), 201);
    const given = [
      {
        phone: '+14155552401',
        firstName: 'Tagged',
        tags: ['vip', 'spring promo', 'a:b.c-d_e'],
        assignedAgentId: agent.id,
        customFields: { plan: 'gold', 'Renewal date': '2027-01-31' },
      },
      { phone: '+14155552402', firstName: 'Plain' },
    ];
    for (const lead of given) bodyOf(await c.post('/api/v1/leads', lead, b.token), 201);
    const snapshot = async (token: string) =>
      bodyOf(await c.get('/api/v1/leads?limit=200', token), 200)
        .data.map((l: Record<string, unknown>) => ({
          phone: l.phone,
          firstName: l.firstName,
          tags: l.tags,
          customFields: l.customFields,
        }))
        .sort((x: { phone: string }, y: { phone: string }) => x.phone.localeCompare(y.phone));
    const before = await snapshot(b.token);

    const exported = await fetch(`${t.url}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${b.token}` },
    }).then((r) => r.text());
    const [header, ...rows] = exported.trim().split('\r\n');
    const col = (name: string) => header.split(',').indexOf(name);
    expect(col('assigned_agent_id')).toBe(-1);
    const tagged = rows.find((r) => r.includes('+14155552401')) as string;
    // no quoted cell in this row: split on commas
    expect(tagged.split(',')[col('assigned_agent')]).toBe('Ava Assigned');
    expect(tagged.split(',')[col('tags')]).toBe('vip|spring promo|a:b.c-d_e');
    expect(header.split(',').slice(-2)).toEqual(['Renewal date', 'plan']);
    expect(tagged.split(',').slice(-2)).toEqual(['2027-01-31', 'gold']);

    // the same workspace: nothing changes, and the agent's column is no custom field
    expect(await csv(exported, b.token)).toEqual({
      status: 200,
      body: { inserted: 0, updated: 2, rejected: [] },
    });
    expect(await snapshot(b.token)).toEqual(before);
    const [again] = bodyOf(await c.get('/api/v1/leads?q=Tagged', b.token), 200).data;
    expect(again.assignedAgentId).toBe(agent.id);

    // another workspace: the same leads, tags and custom fields
    const other = await signup(c, 'Elsewhere');
    expect(await csv(exported, other.token)).toEqual({
      status: 200,
      body: { inserted: 2, updated: 0, rejected: [] },
    });
    expect(await snapshot(other.token)).toEqual(before);
  });

  it("a row that would take its lead's custom fields over the API's 8,192 bytes is rejected alone; the others are written", async () => {
    const lead = (phone: string, n: number) =>
      c.post(
        '/api/v1/leads',
        { phone, firstName: 'Kept', customFields: { a: 'x'.repeat(n) } },
        a.token,
      );
    // {"a":"x…","b":"y…"} is 7,177 + 1,000 + 15 = 8,192 bytes: the limit itself
    await lead('+14155552301', 7177);
    const over = (await lead('+14155552302', 7178)).body;
    const b = 'y'.repeat(1000);
    const res = await csv(
      [
        'phone,first_name,b',
        `+14155552303,New,${b}`,
        `+14155552301,Fits,${b}`,
        `+14155552302,Changed,${b}`,
        '+14155552304,Other,',
      ].join('\n'),
    );
    expect(res).toEqual({
      status: 200,
      body: {
        inserted: 2,
        updated: 1,
        rejected: [{ line: 4, reason: expect.stringMatching(/custom fields.* 8193 bytes.* 8192/) }],
      },
    });
    const sizes = await leads(
      ['+14155552301', '+14155552302', '+14155552303', '+14155552304'],
      `phone, first_name, length(custom_fields ->> 'a') AS a, length(custom_fields ->> 'b') AS b`,
    );
    expect(sizes).toEqual([
      { phone: '+14155552301', first_name: 'Fits', a: 7177, b: 1000 },
      { phone: '+14155552302', first_name: 'Kept', a: 7178, b: null },
      { phone: '+14155552303', first_name: 'New', a: null, b: 1000 },
      { phone: '+14155552304', first_name: 'Other', a: null, b: null },
    ]);
    // the JSON API draws the line at the same byte
    const merged = { a: 'x'.repeat(7178), b };
    const patched = await c.patch(`/api/v1/leads/${over.id}`, { customFields: merged }, a.token);
    expect(patched.status).toBe(400);
  });

  it('next_call_at takes exactly what the JSON API takes for nextCallAt; any other value costs its row, by line', async () => {
    const values = [
      '2026-02-30',
      '1',
      'Call me 5',
      '2026-03-01T09:30:00+01:00',
      '2026-02-30T00:00:00Z',
      '2026-03-01',
      '0000-01-01T00:00:00Z',
      '2026-03-01T09:30:00+23:00',
      '2026-03-01T09:30:00.123456Z',
    ];
    const res = await csv(
      'phone,next_call_at\n' + values.map((v, i) => `+1415555310${i},${v}`).join('\n'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ inserted: 2, updated: 0 });
    expect(res.body.rejected).toEqual(
      [2, 3, 4, 6, 7, 8, 9].map((line) => ({
        line,
        reason: `next_call_at "${values[line - 2]}": must be a date-time with its time zone, such as 2026-03-01T09:30:00Z`,
      })),
    );
    expect(
      await leads(
        values.map((_, i) => `+1415555310${i}`),
        `phone, to_char(next_call_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at`,
      ),
    ).toEqual([
      { phone: '+14155553103', at: '2026-03-01T08:30:00.000000' },
      { phone: '+14155553108', at: '2026-03-01T09:30:00.123456' },
    ]);
    // the JSON API refuses them too, with the same rule
    for (const [i, v] of values.entries()) {
      if (i === 3 || i === 8) continue;
      const r = await c.post('/api/v1/leads', { phone: `+1415555320${i}`, nextCallAt: v }, a.token);
      expect([v, r.status]).toEqual([v, 400]);
    }
  });
});
