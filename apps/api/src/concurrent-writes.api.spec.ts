import { request as httpRequest } from 'node:http';
import type { Client as Pg } from 'pg';
import type { ImportResult } from '@acc/contracts';
import { IMPORT_LOCK } from './leads/leads.repository';
import { Account, signup } from './testing/accounts';
import { Client, bodyOf, client } from './testing/http';
import { TestApp, startTestApp } from './testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from './testing/test-database';

const statuses = (rs: Array<{ status: number }>) =>
  rs
    .map((r) => r.status)
    .reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});

describe('concurrent writes: conflicts are 4xx, never 5xx, and the data stays consistent', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    c = client(t.url);
    a = await signup(c, 'Races');
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('30 creations of the same phone at once: one 201, the rest 409', async () => {
    const rs = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        c.post('/api/v1/leads', { phone: '+14155550600', firstName: `R${i}` }, a.token),
      ),
    );
    expect(statuses(rs)).toEqual({ 201: 1, 409: 29 });
  });

  it('30 renames onto the same phone at once: one 200, the rest 409', async () => {
    const ids = await Promise.all(
      Array.from(
        { length: 30 },
        async (_, i) =>
          (await c.post('/api/v1/leads', { phone: `+1415555${String(7000 + i)}` }, a.token)).body
            .id,
      ),
    );
    const rs = await Promise.all(
      ids.map((id) => c.patch(`/api/v1/leads/${id}`, { phone: '+14155550601' }, a.token)),
    );
    expect(statuses(rs)).toEqual({ 200: 1, 409: 29 });
  });

  it('updates and a delete of one lead at once: each 200, 204 or 404, and the lead is gone', async () => {
    const id = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550602' }, a.token), 201).id;
    const rs = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        c.patch(`/api/v1/leads/${id}`, { firstName: `U${i}` }, a.token),
      ),
      c.delete(`/api/v1/leads/${id}`, a.token),
      c.delete(`/api/v1/leads/${id}`, a.token),
    ]);
    expect(rs.every((r) => [200, 204, 404].includes(r.status))).toBe(true);
    expect(rs.filter((r) => r.status === 204)).toHaveLength(1);
    expect((await c.get(`/api/v1/leads/${id}`, a.token)).status).toBe(404);
  });

  it('three imports of the same phones at once: every phone stored once, each import accounts for every row', async () => {
    const body =
      'phone,first_name\n' +
      Array.from({ length: 3000 }, (_, i) => `+1212${2000000 + i},I${i}`).join('\n');
    const post = () =>
      fetch(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
        body,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const rs = await Promise.all([post(), post(), post()]);
    // each sees every row: new ones inserted by whichever came first, the rest updated
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of rs) expect(r.body.inserted + r.body.updated).toBe(3000);
    expect(rs.reduce((n, r) => n + r.body.inserted, 0)).toBe(3000);
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n, count(DISTINCT phone)::int AS d FROM leads WHERE tenant_id = $1 AND phone LIKE '+1212%'`,
      [a.tenantId],
    );
    expect(rows[0]).toEqual({ n: 3000, d: 3000 });
  });

  it('two imports of the same 1,500 new phones at once, in opposite orders: both succeed, one after the other (3 rounds)', async () => {
    const b = await signup(c, 'Opposites');
    // Both bodies are sent but for their end, then both end at once: their
    // writes start together (the import writes once its file has been read).
    const send = (name: string, order: string[]) => {
      const req = httpRequest(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${b.token}` },
      });
      req.write('phone,first_name\n' + order.map((p) => `${p},${name}`).join('\n'));
      const answer = new Promise<{ name: string; status?: number; body: ImportResult }>(
        (resolve, reject) => {
          req.on('error', reject);
          req.on('response', async (res) => {
            let text = '';
            for await (const chunk of res) text += chunk;
            resolve({ name, status: res.statusCode, body: JSON.parse(text) });
          });
        },
      );
      return { end: () => req.end('\n'), answer };
    };
    // without the lock, most rounds deadlock: one import is a 409 and loses its file
    for (const round of [1, 2, 3]) {
      const phones = Array.from({ length: 1500 }, (_, i) => `+1646${round + 2}${100000 + i}`);
      const imports = [send(`Up${round}`, phones), send(`Down${round}`, [...phones].reverse())];
      await new Promise((r) => setTimeout(r, 200));
      imports.forEach((i) => i.end());
      const rs = await Promise.all(imports.map((i) => i.answer));
      expect(rs.map((r) => r.status)).toEqual([200, 200]);
      // the second waits for the first to commit, then finds every phone
      const [first, second] = rs[0].body.inserted > 0 ? rs : [rs[1], rs[0]];
      expect(first.body).toEqual({ inserted: 1500, updated: 0, rejected: [] });
      expect(second.body).toEqual({ inserted: 0, updated: 1500, rejected: [] });
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n, count(DISTINCT phone)::int AS d, array_agg(DISTINCT first_name) AS names
           FROM leads WHERE tenant_id = $1 AND phone = ANY ($2)`,
        [b.tenantId, phones],
      );
      expect(rows[0]).toEqual({ n: 1500, d: 1500, names: [second.name] });
    }
  });

  it("an import that waits for another of its tenant longer than the statement timeout is a 409; other tenants' imports never wait", async () => {
    const impatient = await startTestApp(db, { DATABASE_STATEMENT_TIMEOUT_MS: '500' });
    const [busy, other] = [await signup(c, 'Busy'), await signup(c, 'Other')];
    const post = (account: Account, phone: string) =>
      fetch(`${impatient.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${account.token}` },
        body: `phone\n${phone}\n`,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const holder = await connectAsOwner(db);
    try {
      // stands for a long import of Busy's, holding its lock
      await holder.query('BEGIN');
      await holder.query(IMPORT_LOCK, [busy.tenantId]);
      const waited = await post(busy, '+14155550700');
      expect(waited).toEqual({
        status: 409,
        body: expect.objectContaining({
          statusCode: 409,
          error: 'Conflict',
          message: expect.stringMatching(/another import .* is still running/),
        }),
      });
      expect((await post(other, '+14155550701')).status).toBe(200);
      await holder.query('COMMIT');
      expect((await post(busy, '+14155550700')).status).toBe(200);
    } finally {
      await holder.end();
      await impatient.close();
    }
  });

  it('20 racing end states for one call: one end state wins, its duplicates are 200, every other 409', async () => {
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Ender' }, a.token), 201).id;
    const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550604' }, a.token), 201).id;
    const call = (
      await c.post(
        '/api/v1/calls',
        {
          agentId: agent,
          leadId: lead,
          direction: 'outbound',
          fromNumber: '+14155550100',
          toNumber: '+14155550604',
        },
        a.token,
      )
    ).body.id;
    for (const status of ['ringing', 'in_progress'])
      expect((await c.patch(`/api/v1/calls/${call}`, { status }, a.token)).status).toBe(200);
    const ends = ['completed', 'failed', 'canceled', 'voicemail'];
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.patch(`/api/v1/calls/${call}`, { status: ends[i % ends.length] }, a.token),
      ),
    );
    // the first end state wins; its duplicates are idempotent re-sends (200), every other end 409
    const winner = rs.find((r) => r.status === 200)?.body.status;
    expect(['completed', 'failed', 'voicemail']).toContain(winner);
    expect(rs.map((r) => r.status === 200)).toEqual(
      rs.map((_, i) => ends[i % ends.length] === winner),
    );
    expect(rs.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    expect((await c.get(`/api/v1/calls/${call}`, a.token)).body.status).toBe(winner);
    const l = (await c.get(`/api/v1/leads/${lead}`, a.token)).body;
    expect(l.lastContactedAt === null).toBe(winner !== 'completed');
  });

  it('an agent archived while calls are created for it: each call 201 or 409, every 201 stored, none after', async () => {
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Racer' }, a.token), 201).id;
    const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550603' }, a.token), 201).id;
    const newCall = () =>
      c.post(
        '/api/v1/calls',
        {
          agentId: agent,
          leadId: lead,
          direction: 'outbound',
          fromNumber: '+14155550100',
          toNumber: '+14155550603',
        },
        a.token,
      );
    const rs = await Promise.all([
      ...Array.from({ length: 20 }, () => newCall()),
      c.patch(`/api/v1/agents/${agent}`, { status: 'archived' }, a.token),
    ]);
    expect(rs.every((r) => [201, 200, 409].includes(r.status))).toBe(true);
    const created = rs.filter((r) => r.status === 201).length;
    const { rows } = await owner.query('SELECT count(*)::int AS n FROM calls WHERE agent_id = $1', [
      agent,
    ]);
    expect(rows[0].n).toBe(created);
    const after = await newCall();
    expect(after.status).toBe(409);
  });
});
