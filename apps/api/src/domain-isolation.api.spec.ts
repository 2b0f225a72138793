import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, addMember, createApiKey, signup } from './testing/accounts';
import { Client, bodyOf, client } from './testing/http';
import { SmtpCatcher, startSmtpCatcher } from './testing/smtp';
import { TestApp, startTestApp } from './testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from './testing/test-database';

interface World {
  agentId: string;
  leadId: string;
  callId: string;
  dncId: string;
}

/**
 * Tenant isolation of the call-center routes through the real HTTP stack:
 * A's token with B's ids in the path, in the body and in filters, and
 * every route without a token or beyond the caller's role.
 */
describe('agents, leads, calls: cross-tenant isolation and bad input', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let viewer: Account;
  const A = {} as World;
  const B = {} as World;

  async function populate(acct: Account, w: World, label: string) {
    w.agentId = bodyOf(
      await c.post('/api/v1/agents', { name: `${label} agent` }, acct.token),
      201,
    ).id;
    w.leadId = bodyOf(
      await c.post(
        '/api/v1/leads',
        {
          phone: '+14155551234',
          firstName: `${label}lead`,
          tags: [label.toLowerCase()],
          assignedAgentId: w.agentId,
        },
        acct.token,
      ),
      201,
    ).id;
    w.callId = bodyOf(
      await c.post(
        '/api/v1/calls',
        {
          agentId: w.agentId,
          leadId: w.leadId,
          direction: 'outbound',
          fromNumber: '+14155550000',
          toNumber: '+14155551234',
          provider: 'twilio',
          providerCallId: 'CA-shared',
          status: 'completed',
          outcome: `${label}-outcome`,
          cost: 1,
        },
        acct.token,
      ),
      201,
    ).id;
    w.dncId = bodyOf(
      await c.post('/api/v1/dnc', { phone: '+14155551234', reason: label }, acct.token),
      201,
    ).id;
  }

  const snapshotB = async () =>
    (
      await owner.query(
        `SELECT (SELECT row_to_json(x) FROM agents x WHERE id = $1) AS agent,
                (SELECT row_to_json(x) FROM leads x WHERE id = $2) AS lead,
                (SELECT row_to_json(x) FROM calls x WHERE id = $3) AS call,
                (SELECT row_to_json(x) FROM dnc_numbers x WHERE id = $4) AS dnc`,
        [B.agentId, B.leadId, B.callId, B.dncId],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    a = await signup(c, 'Alpha');
    b = await signup(c, 'Bravo');
    await populate(a, A, 'Alpha');
    await populate(b, B, 'Bravo');
    viewer = await addMember(c, smtp, a, 'viewer');
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('lets two tenants hold the same phone and the same provider call id', async () => {
    const { rows } = await owner.query(
      `SELECT l.tenant_id, l.phone, c.provider_call_id FROM leads l JOIN calls c ON c.lead_id = l.id
        WHERE c.id = ANY($1) ORDER BY l.tenant_id = $2 DESC`,
      [[A.callId, B.callId], a.tenantId],
    );
    expect(rows).toEqual([
      { tenant_id: a.tenantId, phone: '+14155551234', provider_call_id: 'CA-shared' },
      { tenant_id: b.tenantId, phone: '+14155551234', provider_call_id: 'CA-shared' },
    ]);
  });

  // every row has all four cells: jest reads a missing one as a done() callback
  const byId: Array<[string, string, (w: World) => string, unknown]> = [
    ['GET', '/api/v1/agents/', (w) => w.agentId, undefined],
    ['PATCH', '/api/v1/agents/', (w) => w.agentId, { name: 'hijacked' }],
    ['DELETE', '/api/v1/agents/', (w) => w.agentId, undefined],
    ['GET', '/api/v1/leads/', (w) => w.leadId, undefined],
    ['PATCH', '/api/v1/leads/', (w) => w.leadId, { company: 'hijacked' }],
    ['DELETE', '/api/v1/leads/', (w) => w.leadId, undefined],
    ['GET', '/api/v1/calls/', (w) => w.callId, undefined],
    ['PATCH', '/api/v1/calls/', (w) => w.callId, { summary: 'hijacked' }],
    ['DELETE', '/api/v1/dnc/', (w) => w.dncId, undefined],
  ];

  it.each(byId)(
    "%s %s<B's id> with A's token: 404 like a random id, B untouched",
    async (method, path, id, body) => {
      const before = await snapshotB();
      const foreign = await c.call(method, path + id(B), { token: a.token, body });
      const random = await c.call(method, path + randomUUID(), { token: a.token, body });
      expect(foreign.status).toBe(404);
      expect({ ...foreign.body, requestId: undefined }).toEqual({
        ...random.body,
        requestId: undefined,
      });
      expect(await snapshotB()).toEqual(before);
    },
  );

  const foreignRefs: Array<
    [string, string, string, (w: World) => string, (x: World, y: World) => unknown]
  > = [
    [
      "lead assigned to B's agent",
      'POST',
      '/api/v1/leads',
      () => '',
      (x, y) => ({ phone: '+14155559876', assignedAgentId: y.agentId }),
    ],
    [
      "lead re-assigned to B's agent",
      'PATCH',
      '/api/v1/leads/',
      (w) => w.leadId,
      (x, y) => ({ assignedAgentId: y.agentId }),
    ],
    [
      "call by B's agent",
      'POST',
      '/api/v1/calls',
      () => '',
      (x, y) => ({
        agentId: y.agentId,
        direction: 'inbound',
        fromNumber: '+14155550001',
        toNumber: '+14155550002',
      }),
    ],
    [
      "call to B's lead",
      'POST',
      '/api/v1/calls',
      () => '',
      (x, y) => ({
        agentId: x.agentId,
        leadId: y.leadId,
        direction: 'outbound',
        fromNumber: '+14155550001',
        toNumber: '+14155550002',
      }),
    ],
  ];

  it.each(foreignRefs)(
    'refuses a %s with 404 and writes nothing',
    async (_name, method, path, id, body) => {
      const count = async () =>
        (
          await owner.query(
            `SELECT (SELECT count(*) FROM leads) + (SELECT count(*) FROM calls) AS n`,
          )
        ).rows[0].n;
      const before = await count();
      const beforeA = (
        await owner.query('SELECT assigned_agent_id FROM leads WHERE id = $1', [A.leadId])
      ).rows[0];
      const res = await c.call(method, path + id(A), { token: a.token, body: body(A, B) });
      expect(res.status).toBe(404);
      expect(await count()).toBe(before);
      expect(
        (await owner.query('SELECT assigned_agent_id FROM leads WHERE id = $1', [A.leadId]))
          .rows[0],
      ).toEqual(beforeA);
    },
  );

  it.each([
    ['/api/v1/leads?agentId=', (w: World) => w.agentId],
    ['/api/v1/calls?agentId=', (w: World) => w.agentId],
    ['/api/v1/calls?leadId=', (w: World) => w.leadId],
  ])('filters %s<B id> find nothing for A', async (path, id) => {
    const res = await c.get(path + id(B), a.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null, total: 0 });
  });

  it("lists, search, export and stats show only the caller's rows", async () => {
    const agents = await c.get('/api/v1/agents', a.token);
    expect(agents.body.data.map((x: { id: string }) => x.id)).toEqual([A.agentId]);
    const leads = await c.get('/api/v1/leads?q=bravolead', a.token);
    expect(leads.body.data).toEqual([]);
    const dnc = await c.get('/api/v1/dnc', a.token);
    expect(dnc.body.data.map((x: { id: string }) => x.id)).toEqual([A.dncId]);
    const calls = await c.get('/api/v1/calls', a.token);
    expect(calls.body.data.map((x: { id: string }) => x.id)).toEqual([A.callId]);
    const csv = await fetch(`${t.url}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${a.token}` },
    }).then((r) => r.text());
    expect(csv).toContain(A.leadId);
    expect(csv).not.toContain(B.leadId);
    expect(csv).not.toContain('Bravolead');
    const stats = await c.get('/api/v1/calls/stats', a.token);
    expect(stats.body.totals.calls).toBe(1);
    expect(stats.body.byOutcome).toEqual([{ outcome: 'Alpha-outcome', count: 1 }]);
    expect(stats.body.byAgent.map((x: { agentId: string }) => x.agentId)).toEqual([A.agentId]);
  });

  it('ignores X-Tenant-ID and rejects tenantId in the query or body', async () => {
    const header = await c.get('/api/v1/leads', a.token, { 'x-tenant-id': b.tenantId });
    expect(header.body.data.map((x: { id: string }) => x.id)).toEqual([A.leadId]);
    expect((await c.get(`/api/v1/leads?tenantId=${b.tenantId}`, a.token)).status).toBe(400);
    expect(
      (await c.post('/api/v1/agents', { name: 'x', tenantId: b.tenantId }, a.token)).status,
    ).toBe(400);
  });

  const routes: Array<[string, string]> = [
    ['GET', '/api/v1/agents'],
    ['POST', '/api/v1/agents'],
    ['GET', '/api/v1/agents/:id'],
    ['PATCH', '/api/v1/agents/:id'],
    ['DELETE', '/api/v1/agents/:id'],
    ['GET', '/api/v1/leads'],
    ['POST', '/api/v1/leads'],
    ['GET', '/api/v1/leads/:id'],
    ['PATCH', '/api/v1/leads/:id'],
    ['DELETE', '/api/v1/leads/:id'],
    ['POST', '/api/v1/leads/import'],
    ['GET', '/api/v1/leads/export'],
    ['GET', '/api/v1/calls'],
    ['POST', '/api/v1/calls'],
    ['GET', '/api/v1/calls/:id'],
    ['PATCH', '/api/v1/calls/:id'],
    ['GET', '/api/v1/calls/stats'],
    ['GET', '/api/v1/tenant/usage'],
    ['GET', '/api/v1/dnc'],
    ['POST', '/api/v1/dnc'],
    ['POST', '/api/v1/dnc/import'],
    ['DELETE', '/api/v1/dnc/:id'],
    ['GET', '/api/v1/campaigns'],
    ['POST', '/api/v1/campaigns'],
    ['GET', '/api/v1/campaigns/:id'],
    ['PATCH', '/api/v1/campaigns/:id'],
    ['POST', '/api/v1/campaigns/:id/start'],
    ['POST', '/api/v1/campaigns/:id/pause'],
    ['POST', '/api/v1/campaigns/:id/resume'],
    ['POST', '/api/v1/campaigns/:id/cancel'],
    ['GET', '/api/v1/campaigns/:id/leads'],
    ['GET', '/api/v1/leads/:id/eligibility'],
    ['POST', '/api/v1/leads/:id/call'],
  ];

  it.each(routes)('%s %s without a token: 401', async (method, path) => {
    const res = await c.call(method, path.replace(':id', A.leadId), {
      body: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(401);
  });

  it.each(routes.filter(([m]) => m !== 'GET'))(
    '%s %s as a viewer: 403, nothing written',
    async (method, path) => {
      const before = await owner.query(
        'SELECT (SELECT count(*) FROM agents) AS a, (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM calls) AS c, (SELECT count(*) FROM dnc_numbers) AS d',
      );
      const id = path.includes('agents')
        ? A.agentId
        : path.includes('calls')
          ? A.callId
          : path.includes('dnc')
            ? A.dncId
            : A.leadId;
      const res = await c.call(method, path.replace(':id', id), {
        token: viewer.token,
        body: method === 'DELETE' ? undefined : { name: 'v' },
      });
      expect(res.status).toBe(403);
      const after = await owner.query(
        'SELECT (SELECT count(*) FROM agents) AS a, (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM calls) AS c, (SELECT count(*) FROM dnc_numbers) AS d',
      );
      expect(after.rows).toEqual(before.rows);
    },
  );

  it('lets a viewer read, and not read usage (admin+)', async () => {
    expect((await c.get('/api/v1/leads', viewer.token)).status).toBe(200);
    expect((await c.get('/api/v1/tenant/usage', viewer.token)).status).toBe(403);
    const usage = await c.get('/api/v1/tenant/usage', a.token);
    expect(usage.status).toBe(200);
    expect(usage.body.data[0].apiCalls).toBeGreaterThan(5);
    const usageB = await c.get('/api/v1/tenant/usage', b.token);
    expect(usageB.body.data[0].apiCalls).toBeLessThan(usage.body.data[0].apiCalls);
  });

  describe("A's API keys", () => {
    let adminKey: string;
    let viewerKey: string;
    beforeAll(async () => {
      [adminKey, viewerKey] = await Promise.all([
        createApiKey(c, a, 'admin').then((k) => k.key),
        createApiKey(c, a, 'viewer').then((k) => k.key),
      ]);
    });

    it.each(byId)(
      "%s %s<B's id> with A's admin key: 404 like a random id, B untouched",
      async (method, path, id, body) => {
        const before = await snapshotB();
        const foreign = await c.call(method, path + id(B), { token: adminKey, body });
        const random = await c.call(method, path + randomUUID(), { token: adminKey, body });
        expect(foreign.status).toBe(404);
        expect({ ...foreign.body, requestId: undefined }).toEqual({
          ...random.body,
          requestId: undefined,
        });
        expect(await snapshotB()).toEqual(before);
      },
    );

    it("lists, filters, export and stats with A's key show A's rows only", async () => {
      const [agents, leads, byAgent, calls, stats] = await Promise.all([
        c.get('/api/v1/agents', adminKey),
        c.get('/api/v1/leads?q=bravolead', adminKey),
        c.get(`/api/v1/calls?agentId=${B.agentId}`, adminKey),
        c.get('/api/v1/calls', adminKey),
        c.get('/api/v1/calls/stats', adminKey),
      ]);
      expect(agents.body.data.map((x: { id: string }) => x.id)).toEqual([A.agentId]);
      expect(leads.body.data).toEqual([]);
      expect(byAgent.body).toEqual({ data: [], nextCursor: null, total: 0 });
      expect(calls.body.data.map((x: { id: string }) => x.id)).toEqual([A.callId]);
      expect(stats.body.totals.calls).toBe(1);
      const csv = await fetch(`${t.url}/api/v1/leads/export`, {
        headers: { authorization: `Bearer ${adminKey}` },
      }).then((r) => r.text());
      expect(csv).toContain(A.leadId);
      expect(csv).not.toContain(B.leadId);
    });

    it.each(foreignRefs)(
      "refuses a %s with A's admin key: 404, nothing written",
      async (_name, method, path, id, body) => {
        const before = await owner.query(
          'SELECT (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM calls) AS c',
        );
        const res = await c.call(method, path + id(A), { token: adminKey, body: body(A, B) });
        expect(res.status).toBe(404);
        expect(
          (
            await owner.query(
              'SELECT (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM calls) AS c',
            )
          ).rows,
        ).toEqual(before.rows);
      },
    );

    it.each(routes.filter(([m]) => m !== 'GET'))(
      '%s %s with a viewer key: 403, nothing written',
      async (method, path) => {
        const count = () =>
          owner.query(
            'SELECT (SELECT count(*) FROM agents) AS a, (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM calls) AS c, (SELECT count(*) FROM dnc_numbers) AS d',
          );
        const before = await count();
        const id = path.includes('agents')
          ? A.agentId
          : path.includes('calls')
            ? A.callId
            : path.includes('dnc')
              ? A.dncId
              : A.leadId;
        const res = await c.call(method, path.replace(':id', id), {
          token: viewerKey,
          body: method === 'DELETE' ? undefined : { name: 'v' },
        });
        expect(res.status).toBe(403);
        expect((await count()).rows).toEqual(before.rows);
      },
    );
  });

  const INJECT = "'; DROP TABLE leads; --";
  const badWrites: Array<[string, string, unknown]> = [
    ['POST', '/api/v1/agents', { name: 42 }],
    ['POST', '/api/v1/agents', { name: 'x'.repeat(101) }],
    ['POST', '/api/v1/agents', { name: 'ok', direction: 'sideways' }],
    ['POST', '/api/v1/agents', { name: 'ok', llmProvider: INJECT }],
    ['POST', '/api/v1/agents', { name: 'ok', dispositionCodes: ['a', 'a'] }],
    ['POST', '/api/v1/agents', { name: 'ok', extra: true }],
    ['POST', '/api/v1/agents', []],
    ['POST', '/api/v1/leads', { phone: INJECT }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', email: INJECT }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', status: 'hot' }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', tags: ['ok', '<script>'] }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', timezone: 'Mars/Olympus' }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', nextCallAt: 'tomorrow' }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', firstName: 'x'.repeat(101) }],
    ['POST', '/api/v1/leads', { phone: '+14155550777', assignedAgentId: 'not-a-uuid' }],
    [
      'POST',
      '/api/v1/calls',
      { agentId: 'x', direction: 'outbound', fromNumber: '+14155550000', toNumber: '+14155550001' },
    ],
    [
      'POST',
      '/api/v1/calls',
      { direction: 'outbound', fromNumber: '+14155550000', toNumber: '+14155550001' },
    ],
    [
      'POST',
      '/api/v1/calls',
      {
        agentId: '00000000-0000-4000-8000-000000000000',
        direction: 'outbound',
        fromNumber: '+14155550000',
        toNumber: '+14155550001',
        cost: -1,
      },
    ],
    [
      'POST',
      '/api/v1/calls',
      {
        agentId: '00000000-0000-4000-8000-000000000000',
        direction: 'outbound',
        fromNumber: '+1',
        toNumber: '+14155550001',
      },
    ],
    [
      'POST',
      '/api/v1/calls',
      {
        agentId: '00000000-0000-4000-8000-000000000000',
        direction: 'outbound',
        fromNumber: '+14155550000',
        toNumber: '+14155550001',
        transcript: [{ role: 'bot', text: 'x', startMs: 0 }],
      },
    ],
    ['PATCH', '/api/v1/calls/:call', { status: 'exploded' }],
    ['PATCH', '/api/v1/calls/:call', { recordingUrl: 'javascript:alert(1)' }],
    ['PATCH', '/api/v1/leads/:lead', { customFields: 'nope' }],
    ['PATCH', '/api/v1/agents/:agent', { temperature: '0.5' }],
  ];

  it.each(badWrites)('%s %s %j: 400, nothing written, server alive', async (method, path, body) => {
    const snapshot = () =>
      owner.query(`SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS h FROM (
      SELECT row_to_json(a)::text AS x FROM agents a UNION ALL SELECT row_to_json(l)::text FROM leads l
      UNION ALL SELECT row_to_json(c)::text FROM calls c) s`);
    const before = (await snapshot()).rows[0].h;
    const res = await c.call(
      method,
      path.replace(':call', A.callId).replace(':lead', A.leadId).replace(':agent', A.agentId),
      { token: a.token, body },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect((await snapshot()).rows[0].h).toBe(before);
    expect((await c.get('/health')).status).toBe(200);
  });

  it.each([
    `/api/v1/leads?q=${encodeURIComponent(INJECT)}`,
    `/api/v1/leads?status=${encodeURIComponent("new' OR '1'='1")}`,
    `/api/v1/leads?limit=100000`,
    `/api/v1/leads?limit=-1`,
    `/api/v1/calls?from=${encodeURIComponent("2020-01-01' OR 1=1")}`,
    `/api/v1/agents?q=${'x'.repeat(500)}`,
  ])('GET %s: 400 or an empty answer, never another row', async (path) => {
    const res = await c.get(path, a.token);
    expect([200, 400]).toContain(res.status);
    if (res.status === 200) expect(res.body.data).toEqual([]);
  });
});
