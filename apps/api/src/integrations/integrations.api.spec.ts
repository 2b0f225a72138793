import { createHmac, randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Retell } from 'retell-sdk';
import { Account, signup } from '../testing/accounts';
import { Client, Res, bodyOf, client } from '../testing/http';
import {
  type CallScript,
  retellCallAnalyzed,
  retellCallEnded,
  retellCallStarted,
  vapiEndOfCallReport,
  vapiStatusUpdate,
} from '../testing/provider-payloads';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { Receiver, startReceiver } from '../testing/webhook-receiver';

const VAPI_SECRET_A = 'vapi-secret-of-tenant-a';
const VAPI_SECRET_B = 'vapi-secret-of-tenant-b';
const RETELL_KEY_A = 'key_retell_of_tenant_a_0001';
const RETELL_KEY_B = 'key_retell_of_tenant_b_0002';

let n = 0;
/** A fresh call of the provider: its own ids and numbers. */
function script(over: Partial<CallScript> = {}): CallScript {
  n += 1;
  return {
    callId: randomUUID(),
    agentId: 'asst_renewals_01',
    customer: `(415) 555-${String(1000 + n).padStart(4, '0')}`,
    line: '+14155550999',
    startedAt: '2026-11-02T10:00:00.000Z',
    endedAt: '2026-11-02T10:01:12.000Z',
    ...over,
  };
}

const vapiHmac = (text: string, secret: string) =>
  createHmac('sha256', secret).update(text).digest('hex');

describe('call events straight from Vapi and Retell (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let rx: Receiver;

  const vapiUrl = (tenantId: string) => `/api/v1/integrations/vapi/events/${tenantId}`;
  const retellUrl = (tenantId: string) => `/api/v1/integrations/retell/events/${tenantId}`;

  /** POSTs the exact bytes a provider would, with its headers. */
  const deliver = (path: string, body: unknown, headers: Record<string, string>) =>
    c.call('POST', path, {
      raw: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const toVapi = (tenant: Account, body: unknown, secret = VAPI_SECRET_A) =>
    deliver(vapiUrl(tenant.tenantId), body, { authorization: `Bearer ${secret}` });
  const toRetell = async (tenant: Account, body: unknown, apiKey = RETELL_KEY_A) => {
    const text = JSON.stringify(body);
    return deliver(retellUrl(tenant.tenantId), text, {
      'x-retell-signature': await Retell.sign(text, apiKey),
    });
  };

  /** What a tenant holds in the tables an event may write. */
  const state = async (tenantId: string) => {
    const q = (sql: string) => owner.query(sql, [tenantId]).then((r) => r.rows);
    return JSON.stringify({
      calls: await q('SELECT * FROM calls WHERE tenant_id = $1 ORDER BY id'),
      leads: await q('SELECT * FROM leads WHERE tenant_id = $1 ORDER BY id'),
      agents: await q('SELECT * FROM agents WHERE tenant_id = $1 ORDER BY id'),
      integrations: await q('SELECT * FROM integrations WHERE tenant_id = $1 ORDER BY provider'),
    });
  };

  /** The webhook events of A's call, as written (A's endpoint takes every call event). */
  const eventsOf = async (callId: string) =>
    (
      await owner.query(
        `SELECT type FROM webhook_events WHERE tenant_id = $1 AND payload->'data'->>'id' = $2
          ORDER BY created_at, type`,
        [a.tenantId, callId],
      )
    ).rows.map((r) => r.type);

  const leadOfCall = async (callId: string) => {
    const call = bodyOf(await c.get(`/api/v1/calls/${callId}`, a.token), 200);
    return bodyOf(await c.get(`/api/v1/leads/${call.leadId}`, a.token), 200);
  };

  const callOf = async (tenant: Account, res: Res) =>
    bodyOf(await c.get(`/api/v1/calls/${bodyOf(res, 200).callId}`, tenant.token), 200);

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    rx = await startReceiver();
    t = await startTestApp(db, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'VoxA'), signup(c, 'VoxB')]);
    const events = ['call.created', 'call.updated', 'call.ended'];
    bodyOf(await c.post('/api/v1/webhooks', { url: rx.url('/a'), events }, a.token), 201);
    for (const [who, secret, key] of [
      [a, VAPI_SECRET_A, RETELL_KEY_A],
      [b, VAPI_SECRET_B, RETELL_KEY_B],
    ] as const) {
      bodyOf(await c.put('/api/v1/integrations/vapi', { secret }, who.token), 200);
      bodyOf(await c.put('/api/v1/integrations/retell', { apiKey: key }, who.token), 200);
    }
  });

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await owner?.end();
    await db?.drop();
  });

  it('records the agent version an event says ran (the metadata our dispatch sends), else the one current at the start', async () => {
    const agentId = bodyOf(
      await c.post(
        '/api/v1/agents',
        {
          name: 'Versioned',
          systemPrompt: 'One.',
          vapiAssistantId: 'asst_versioned_01',
          retellAgentId: 'agent_versioned_01',
        },
        a.token,
      ),
      201,
    ).id;
    for (const systemPrompt of ['Two.', 'Three.'])
      bodyOf(await c.patch(`/api/v1/agents/${agentId}`, { systemPrompt }, a.token), 200);
    const ran = { accCallId: randomUUID(), accAgentId: agentId, accAgentVersion: 2 };
    // started now, when version 3 is current
    const now = (over: Partial<CallScript>) =>
      script({
        startedAt: new Date().toISOString(),
        endedAt: new Date(Date.now() + 10_000).toISOString(),
        ...over,
      });
    const version = async (res: Res) => (await callOf(a, res)).agentVersion;

    const retell = now({ agentId: 'agent_versioned_01', metadata: ran });
    expect(await version(await toRetell(a, retellCallStarted(retell)))).toBe(2);
    const vapi = now({ agentId: 'asst_versioned_01', metadata: ran });
    expect(await version(await toVapi(a, vapiEndOfCallReport(vapi)))).toBe(2);

    // recorded before an event said: the version current at its start, until one says
    const late = now({ agentId: 'agent_versioned_01' });
    expect(await version(await toRetell(a, retellCallStarted(late)))).toBe(3);
    expect(await version(await toRetell(a, retellCallEnded({ ...late, metadata: ran })))).toBe(2);

    // metadata naming another agent says nothing about this one's version
    const other = now({
      agentId: 'agent_versioned_01',
      metadata: { ...ran, accAgentId: randomUUID() },
    });
    expect(await version(await toRetell(a, retellCallStarted(other)))).toBe(3);
  });

  describe('configuration', () => {
    it('lists both providers with the URL to paste, configured or not, and never a secret', async () => {
      const fresh = await signup(c, 'Fresh');
      const before = bodyOf(await c.get('/api/v1/integrations', fresh.token), 200);
      expect(before).toEqual({
        data: [
          {
            provider: 'vapi',
            eventsUrl: `http://console.test/api/v1/integrations/vapi/events/${fresh.tenantId}`,
            configured: false,
            lastEventAt: null,
            updatedAt: null,
          },
          {
            provider: 'retell',
            eventsUrl: `http://console.test/api/v1/integrations/retell/events/${fresh.tenantId}`,
            configured: false,
            lastEventAt: null,
            updatedAt: null,
          },
        ],
      });
      const set = bodyOf(
        await c.put('/api/v1/integrations/vapi', { secret: 'fresh-secret-123' }, fresh.token),
        200,
      );
      expect(set).toMatchObject({ provider: 'vapi', configured: true, lastEventAt: null });
      const after = await c.get('/api/v1/integrations', fresh.token);
      expect(JSON.stringify(after.body)).not.toContain('fresh-secret-123');
      expect(after.body.data.map((i: { configured: boolean }) => i.configured)).toEqual([
        true,
        false,
      ]);
    });

    it('stores the secret sealed: the plaintext is nowhere in the row', async () => {
      const { rows } = await owner.query(
        `SELECT secret_box FROM integrations WHERE tenant_id = $1 AND provider = 'vapi'`,
        [a.tenantId],
      );
      expect(rows).toHaveLength(1);
      expect((rows[0].secret_box as Buffer).includes(Buffer.from(VAPI_SECRET_A))).toBe(false);
    });

    it.each([
      ['vapi', { secret: 'short' }],
      ['vapi', { secret: 'has a space in it' }],
      ['vapi', { secret: 'long-enough-secret', extra: 1 }],
      ['retell', { secret: 'the-wrong-field-name' }],
    ])('PUT %s %j -> 400, nothing changed', async (provider, body) => {
      const before = await state(a.tenantId);
      const res = await c.put(`/api/v1/integrations/${provider}`, body, a.token);
      expect(res.status).toBe(400);
      expect(await state(a.tenantId)).toBe(before);
    });
  });

  describe('Vapi', () => {
    it('records a call from its status updates and end-of-call report: agent, lead, times, cost, transcript, recording, analysis', async () => {
      const s = script();
      const ringing = await toVapi(a, vapiStatusUpdate(s, 'ringing', '2026-11-02T09:59:58.000Z'));
      expect(bodyOf(ringing, 200)).toMatchObject({ received: true, recorded: true });
      const report = JSON.stringify(vapiEndOfCallReport(s));
      // the HMAC credential: x-vapi-signature over the exact body
      const res = await deliver(vapiUrl(a.tenantId), report, {
        'x-vapi-signature': vapiHmac(report, VAPI_SECRET_A),
      });
      const call = await callOf(a, res);
      expect(call.id).toBe(ringing.body.callId);
      expect(call).toMatchObject({
        direction: 'outbound',
        status: 'completed',
        fromNumber: '+14155550999',
        toNumber: `+1415555${s.customer.slice(-4)}`,
        startedAt: s.startedAt,
        answeredAt: s.startedAt,
        endedAt: s.endedAt,
        durationSeconds: 72,
        endReason: 'customer-ended-call',
        outcome: 'callback',
        summary: 'Dana asked about her renewal; Ava confirmed the date and the price.',
        recordingUrl: `https://storage.vapi.ai/${s.callId}-mono.wav`,
        cost: 0.1237,
        provider: 'vapi',
        providerCallId: s.callId,
        analysis: {
          structuredData: { outcome: 'callback', renewalDate: '2026-12-01' },
          successEvaluation: 'true',
        },
      });
      expect(call.transcript.map((x: { role: string }) => x.role)).toEqual([
        'agent',
        'lead',
        'agent',
      ]);

      const agent = bodyOf(await c.get(`/api/v1/agents/${call.agentId}`, a.token), 200);
      expect(agent).toMatchObject({
        name: 'Ava (renewals)',
        vapiAssistantId: s.agentId,
        retellAgentId: null,
      });
      const lead = bodyOf(await c.get(`/api/v1/leads/${call.leadId}`, a.token), 200);
      expect(lead).toMatchObject({
        phone: call.toNumber,
        firstName: 'Dana Lee',
        source: 'Vapi',
        status: 'contacted',
        lastContactedAt: s.endedAt,
      });
      const vapi = bodyOf(await c.get('/api/v1/integrations', a.token), 200).data[0];
      expect(vapi.lastEventAt).not.toBeNull();
    });

    it("events within a minute of the last neither write nor wait on the integration's row", async () => {
      const lastEvent = async (): Promise<Date> =>
        (
          await owner.query(
            `SELECT last_event_at FROM integrations WHERE tenant_id = $1 AND provider = 'vapi'`,
            [a.tenantId],
          )
        ).rows[0].last_event_at;
      bodyOf(await toVapi(a, vapiEndOfCallReport(script())), 200);
      const before = await lastEvent();
      // another transaction holds the row: an event that wrote it would wait until this one ends
      await owner.query('BEGIN');
      try {
        await owner.query(
          `SELECT 1 FROM integrations WHERE tenant_id = $1 AND provider = 'vapi' FOR UPDATE`,
          [a.tenantId],
        );
        expect(bodyOf(await toVapi(a, vapiEndOfCallReport(script())), 200)).toMatchObject({
          recorded: true,
        });
      } finally {
        await owner.query('ROLLBACK');
      }
      expect(await lastEvent()).toEqual(before);
      // a minute later the next event notes its time again
      await owner.query(
        `UPDATE integrations SET last_event_at = now() - interval '61 seconds' WHERE tenant_id = $1`,
        [a.tenantId],
      );
      const old = await lastEvent();
      bodyOf(await toVapi(a, vapiEndOfCallReport(script())), 200);
      expect((await lastEvent()).getTime()).toBeGreaterThan(old.getTime() + 60_000);
    });

    it('a provider call makes the events an API call makes: created, updated on news, ended once; the lead is contacted when it completes', async () => {
      const s = script();
      const ringing = await toVapi(a, vapiStatusUpdate(s, 'ringing', '2026-11-02T09:59:58.000Z'));
      const { callId } = bodyOf(ringing, 200);
      expect(await eventsOf(callId)).toEqual(['call.created']);
      bodyOf(await toVapi(a, vapiStatusUpdate(s, 'in-progress', s.startedAt)), 200);
      expect(await eventsOf(callId)).toEqual(['call.created', 'call.updated']);
      expect(await leadOfCall(callId)).toMatchObject({ status: 'new', lastContactedAt: null });
      bodyOf(await toVapi(a, vapiEndOfCallReport(s)), 200);
      bodyOf(await toVapi(a, vapiEndOfCallReport(s)), 200); // a repeat adds nothing
      expect(await eventsOf(callId)).toEqual([
        'call.created',
        'call.updated',
        'call.ended',
        'call.updated',
      ]);
      expect(await leadOfCall(callId)).toMatchObject({
        status: 'contacted',
        lastContactedAt: s.endedAt,
      });
    });

    it('a time in the future: 400 and nothing written, for a new call and for a known one', async () => {
      // a day ahead (far enough for the 5 minutes of clock skew allowed, near enough for the duration's int)
      const at = Date.now() + 86_400_000;
      const future = {
        startedAt: new Date(at).toISOString(),
        endedAt: new Date(at + 72_000).toISOString(),
      };
      const before = await state(a.tenantId);
      const unknown = await toVapi(a, vapiEndOfCallReport(script(future)));
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toEqual(
        expect.arrayContaining([expect.stringContaining('must not be in the future')]),
      );
      expect(await state(a.tenantId)).toBe(before);

      const s = script();
      bodyOf(await toVapi(a, vapiStatusUpdate(s, 'ringing', '2026-11-02T09:59:58.000Z')), 200);
      const known = await state(a.tenantId);
      const late = await toVapi(a, vapiEndOfCallReport({ ...s, endedAt: future.endedAt }));
      expect(late.status).toBe(400);
      expect(await state(a.tenantId)).toBe(known);
    });

    it('with recording off in Settings, the recording link of a provider call is not stored', async () => {
      const quiet = await signup(c, 'Quiet');
      bodyOf(await c.put('/api/v1/integrations/vapi', { secret: VAPI_SECRET_A }, quiet.token), 200);
      const config = bodyOf(await c.get('/api/v1/tenant/config', quiet.token), 200);
      const { updatedAt: _u, settings: _s, auditRetentionDays: _r, ...editable } = config;
      bodyOf(
        await c.put('/api/v1/tenant/config', { ...editable, recordingEnabled: false }, quiet.token),
        200,
      );
      const res = await toVapi(quiet, vapiEndOfCallReport(script()));
      const call = bodyOf(
        await c.get(`/api/v1/calls/${bodyOf(res, 200).callId}`, quiet.token),
        200,
      );
      expect(call).toMatchObject({ status: 'completed', recordingUrl: null });
    });

    it('a call the API creates ended makes call.created and call.ended, as a provider call does', async () => {
      const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Api caller' }, a.token), 201);
      const call = bodyOf(
        await c.post(
          '/api/v1/calls',
          {
            agentId: agent.id,
            direction: 'outbound',
            status: 'no_answer',
            fromNumber: '+14155550999',
            toNumber: '+14155550777',
          },
          a.token,
        ),
        201,
      );
      expect(await eventsOf(call.id)).toEqual(['call.created', 'call.ended']);
    });

    it('accepts the older x-vapi-secret header too', async () => {
      const res = await deliver(vapiUrl(a.tenantId), vapiEndOfCallReport(script()), {
        'x-vapi-secret': VAPI_SECRET_A,
      });
      expect(bodyOf(res, 200)).toMatchObject({ recorded: true });
    });

    it('a report delivered twice, even at once, is one call; a late status update changes nothing', async () => {
      const s = script({ agentId: 'asst_renewals_02' });
      const body = vapiEndOfCallReport(s);
      const answers = await Promise.all([1, 2, 3, 4].map(() => toVapi(a, body)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((r) => r.body.callId)).size).toBe(1);
      const first = await callOf(a, answers[0]);
      const late = await toVapi(a, vapiStatusUpdate(s, 'in-progress', '2026-11-02T10:00:01.000Z'));
      expect(await callOf(a, late)).toEqual(first);
      const { rows } = await owner.query(
        'SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1 AND provider_call_id = $2',
        [a.tenantId, s.callId],
      );
      expect(rows[0].n).toBe(1);
      // created ended: both events in the one transaction that inserted it, none for the repeats
      expect(await eventsOf(first.id)).toEqual(['call.created', 'call.ended']);
      expect(await leadOfCall(first.id)).toMatchObject({
        status: 'contacted',
        lastContactedAt: s.endedAt,
      });
      const agents = await owner.query(
        `SELECT count(*)::int AS n FROM agents WHERE tenant_id = $1 AND vapi_assistant_id = 'asst_renewals_02'`,
        [a.tenantId],
      );
      expect(agents.rows[0].n).toBe(1);
    });

    it("a call of an assistant mapped to an agent is that agent's", async () => {
      const agent = bodyOf(
        await c.post('/api/v1/agents', { name: 'Mapped', vapiAssistantId: 'asst_mapped' }, a.token),
        201,
      );
      const res = await toVapi(a, vapiEndOfCallReport(script({ agentId: 'asst_mapped' })));
      expect((await callOf(a, res)).agentId).toBe(agent.id);
      const taken = await c.post(
        '/api/v1/agents',
        { name: 'Twin', vapiAssistantId: 'asst_mapped' },
        a.token,
      );
      expect(taken.status).toBe(409);
      expect(taken.body.message).toBe(
        'vapiAssistantId: another agent of this workspace has this id',
      );
    });

    it('answers other message types and web calls with 200, recording nothing', async () => {
      const before = await owner.query(
        'SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1',
        [a.tenantId],
      );
      const transcript = await toVapi(a, {
        message: {
          type: 'transcript',
          role: 'user',
          transcriptType: 'final',
          transcript: 'Hello?',
        },
      });
      expect(bodyOf(transcript, 200)).toEqual({
        received: true,
        recorded: false,
        reason: 'transcript messages are not recorded',
      });
      const web = vapiEndOfCallReport(script()) as { message: { call: { type: string } } };
      web.message.call.type = 'webCall';
      expect(bodyOf(await toVapi(a, web), 200)).toMatchObject({ recorded: false });
      const after = await owner.query('SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1', [
        a.tenantId,
      ]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('a body that is not a Vapi message, once authenticated -> 400, nothing written', async () => {
      const before = await state(a.tenantId);
      for (const body of [{}, { message: { type: 'end-of-call-report', call: { id: '' } } }, []]) {
        const res = await toVapi(a, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
      expect(await state(a.tenantId)).toBe(before);
    });
  });

  describe('Retell', () => {
    /** The call as the API answers it, without what differs between two calls (ids, recording link, row times). */
    const comparable = (call: Record<string, unknown>) => {
      const {
        id: _i,
        providerCallId: _p,
        recordingUrl: _r,
        createdAt: _c,
        updatedAt: _u,
        ...rest
      } = call;
      return rest;
    };

    it('records call_started, call_ended and call_analyzed, signed as retell-sdk signs', async () => {
      const s = script({ agentId: 'agent_support_01', direction: 'inbound' });
      await toRetell(a, retellCallStarted(s));
      await toRetell(a, retellCallEnded(s));
      const call = await callOf(a, await toRetell(a, retellCallAnalyzed(s)));
      expect(call).toMatchObject({
        direction: 'inbound',
        status: 'completed',
        fromNumber: `+1415555${s.customer.slice(-4)}`,
        toNumber: s.line,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        durationSeconds: 72,
        endReason: 'user_hangup',
        outcome: 'ticket_opened',
        sentiment: 'negative',
        cost: 0.705,
        summary: 'The customer asked where their order was; the agent opened a ticket.',
        provider: 'retell',
      });
      const agent = bodyOf(await c.get(`/api/v1/agents/${call.agentId}`, a.token), 200);
      expect(agent).toMatchObject({ name: 'Riley (support)', retellAgentId: 'agent_support_01' });
    });

    it('events out of order (ended before started) end in the same call as in order', async () => {
      const inOrder = script({ agentId: 'agent_support_02' });
      const reversed = { ...script({ agentId: 'agent_support_02' }), customer: inOrder.customer };
      for (const make of [retellCallStarted, retellCallEnded, retellCallAnalyzed])
        bodyOf(await toRetell(a, make(inOrder)), 200);
      let last: Res | undefined;
      for (const make of [retellCallAnalyzed, retellCallEnded, retellCallStarted, retellCallEnded])
        last = await toRetell(a, make(reversed));
      const expected = await callOf(a, await toRetell(a, retellCallStarted(inOrder)));
      const got = await callOf(a, last as Res);
      expect(comparable(got)).toEqual(comparable(expected));
      expect(got.status).toBe('completed');
    });

    it('a signature older than five minutes -> 401, nothing written', async () => {
      const text = JSON.stringify(retellCallEnded(script()));
      const then = Date.now() - 6 * 60_000;
      const digest = createHmac('sha256', RETELL_KEY_A)
        .update(text + then)
        .digest('hex');
      const before = await state(a.tenantId);
      const res = await deliver(retellUrl(a.tenantId), text, {
        'x-retell-signature': `v=${then},d=${digest}`,
      });
      expect(res.status).toBe(401);
      expect(await state(a.tenantId)).toBe(before);
    });
  });

  describe('unauthenticated or mis-signed: 401, nothing written, whether or not the tenant exists', () => {
    const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

    it.each([
      ['no credential', 'vapi', {}],
      ['a wrong Bearer token', 'vapi', { authorization: 'Bearer not-the-secret' }],
      ['a wrong x-vapi-secret', 'vapi', { 'x-vapi-secret': 'not-the-secret' }],
      ['an HMAC with another secret', 'vapi', { 'x-vapi-signature': vapiHmac('{}', 'nope') }],
      ['no signature', 'retell', {}],
      ['a malformed signature', 'retell', { 'x-retell-signature': 'v=1,d=xyz' }],
    ] as const)('%s (%s)', async (_what, provider, headers) => {
      const body = provider === 'vapi' ? vapiEndOfCallReport(script()) : retellCallEnded(script());
      const url = provider === 'vapi' ? vapiUrl : retellUrl;
      const [beforeA, beforeB] = [await state(a.tenantId), await state(b.tenantId)];
      const res = await deliver(url(a.tenantId), body, headers);
      const unknown = await deliver(url(randomUUID()), body, headers);
      const malformed = await deliver(
        `/api/v1/integrations/${provider}/events/not-a-tenant`,
        body,
        headers,
      );
      for (const r of [res, unknown, malformed]) {
        expect(r.status).toBe(401);
        expect(withoutRequestId(r.body)).toEqual(withoutRequestId(res.body));
      }
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect([await state(a.tenantId), await state(b.tenantId)]).toEqual([beforeA, beforeB]);
    });

    it('a body changed after Retell signed it -> 401', async () => {
      const text = JSON.stringify(retellCallEnded(script()));
      const signature = await Retell.sign(text, RETELL_KEY_A);
      const before = await state(a.tenantId);
      const res = await deliver(
        retellUrl(a.tenantId),
        text.replace('user_hangup', 'agent_hangup'),
        {
          'x-retell-signature': signature,
        },
      );
      expect(res.status).toBe(401);
      expect(await state(a.tenantId)).toBe(before);
    });

    it("tenant A's secret or key on tenant B's URL -> 401, nothing written in either", async () => {
      const [beforeA, beforeB] = [await state(a.tenantId), await state(b.tenantId)];
      const vapi = await toVapi(b, vapiEndOfCallReport(script()), VAPI_SECRET_A);
      const retell = await toRetell(b, retellCallEnded(script()), RETELL_KEY_A);
      expect([vapi.status, retell.status]).toEqual([401, 401]);
      expect([await state(a.tenantId), await state(b.tenantId)]).toEqual([beforeA, beforeB]);
      // and B's own secret works on B's URL: the refusal was the secret's, not the route's
      expect((await toVapi(b, vapiEndOfCallReport(script()), VAPI_SECRET_B)).status).toBe(200);
    });

    it('a tenant that has not configured the provider -> 401', async () => {
      const fresh = await signup(c, 'Unconfigured');
      const before = await state(fresh.tenantId);
      const res = await toVapi(fresh, vapiEndOfCallReport(script()), VAPI_SECRET_A);
      expect(res.status).toBe(401);
      expect(await state(fresh.tenantId)).toBe(before);
    });
  });
});
