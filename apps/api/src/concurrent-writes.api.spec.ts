import type { Client as Pg } from 'pg';
import { Account, signup } from './testing/accounts';
import { Client, client } from './testing/http';
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
    const id = (await c.post('/api/v1/leads', { phone: '+14155550602' }, a.token)).body.id;
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

  it('20 racing end states for one call: one end state wins, its duplicates are 200, every other 409', async () => {
    const agent = (await c.post('/api/v1/agents', { name: 'Ender' }, a.token)).body.id;
    const lead = (await c.post('/api/v1/leads', { phone: '+14155550604' }, a.token)).body.id;
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
    const agent = (await c.post('/api/v1/agents', { name: 'Racer' }, a.token)).body.id;
    const lead = (await c.post('/api/v1/leads', { phone: '+14155550603' }, a.token)).body.id;
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
