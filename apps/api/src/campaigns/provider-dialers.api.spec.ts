import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client as Pg } from 'pg';
import { Campaign, DialerSettings } from '@acc/contracts';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { vapiEndOfCallReport } from '../testing/provider-payloads';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS } from '../testing/webhook-receiver';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any JSON
}

/**
 * Vapi's and Retell's APIs on loopback, as the dialers see them: each
 * request's method, path, credential and body are kept for the test to
 * check against the providers' documented shapes; the answer is the test's.
 */
async function startProviders() {
  const seen: Seen[] = [];
  let answer: (s: Seen) => [number, unknown] = () => [201, { id: 'unset' }];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      };
      seen.push(s);
      const [status, body] = answer(s);
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    vapi: `${base}/vapi`,
    retell: `${base}/retell`,
    answerWith: (fn: typeof answer) => (answer = fn),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the Vapi and Retell dialers (real HTTP, the providers on loopback)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let providers: Awaited<ReturnType<typeof startProviders>>;

  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 30_000;
    let v = await read();
    while (!ok(v)) {
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  };
  const anyTime = (who: Account, agentId: string) =>
    c.put(
      '/api/v1/tenant/config',
      {
        timezone: 'UTC',
        callingWindowStart: '00:00',
        callingWindowEnd: '23:59',
        callingDays: [1, 2, 3, 4, 5, 6, 7],
        defaultAgentId: agentId,
        maxConcurrentCalls: 5,
        recordingEnabled: false,
      },
      who.token,
    );
  const callOf = (who: Account, id: string) =>
    c.get(`/api/v1/calls/${id}`, who.token).then((r) => bodyOf(r, 200));

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    providers = await startProviders();
    t = await startTestApp(db, {
      ...FAST_WEBHOOKS,
      VAPI_API_URL: providers.vapi,
      RETELL_API_URL: providers.retell,
    });
    c = client(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await providers?.close();
    await owner?.end();
    await db?.drop();
  });

  it('Vapi: the key is required, kept sealed and never answered; a phone number id is required', async () => {
    const a = await signup(c, 'VapiKey');
    for (const bad of [
      { type: 'vapi', phoneNumberId: 'pn_1' },
      { type: 'vapi', apiKey: 'vapi-private-key-1' },
      { type: 'vapi', apiKey: 'short', phoneNumberId: 'pn_1' },
      { type: 'retell', apiKey: 'retell-key-123' },
    ]) {
      const res = await c.put('/api/v1/tenant/dialer', bad, a.token);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    const set = await c.put(
      '/api/v1/tenant/dialer',
      { type: 'vapi', apiKey: 'vapi-private-key-1', phoneNumberId: 'pn_1' },
      a.token,
    );
    expect(DialerSettings.parse(bodyOf(set, 200))).toEqual({
      type: 'vapi',
      callerId: null,
      url: null,
      phoneNumberId: 'pn_1',
      secretSet: true,
    });
    expect(JSON.stringify(set.body)).not.toContain('vapi-private-key-1');
    const stored = (
      await owner.query('SELECT dialer_secret FROM tenant_configs WHERE tenant_id = $1', [
        a.tenantId,
      ])
    ).rows[0].dialer_secret as Buffer;
    expect(stored.toString('latin1')).not.toContain('vapi-private-key-1');
    // the key is kept when left out
    const again = await c.put(
      '/api/v1/tenant/dialer',
      { type: 'vapi', phoneNumberId: 'pn_2' },
      a.token,
    );
    expect(bodyOf(again, 200)).toMatchObject({ phoneNumberId: 'pn_2', secretSet: true });
  });

  it("Vapi: a campaign call is created at Vapi with the agent as a transient assistant, and Vapi's report ends it", async () => {
    const a = await signup(c, 'VapiRun');
    const agentId = bodyOf(
      await c.post(
        '/api/v1/agents',
        {
          name: 'Vera',
          systemPrompt: 'Book a demo.',
          firstMessage: 'Hi, Vera here.',
          llmModel: 'gpt-4o',
          voice: 'nova',
          maxCallSeconds: 300,
        },
        a.token,
      ),
      201,
    ).id;
    bodyOf(await anyTime(a, agentId), 200);
    bodyOf(
      await c.put(
        '/api/v1/tenant/dialer',
        {
          type: 'vapi',
          apiKey: 'vapi-private-key-2',
          phoneNumberId: 'pn_sales',
          callerId: '+14155550100',
        },
        a.token,
      ),
      200,
    );
    bodyOf(
      await c.put('/api/v1/integrations/vapi', { secret: 'vapi-events-secret-2' }, a.token),
      200,
    );
    const leadId = bodyOf(
      await c.post(
        '/api/v1/leads',
        { phone: '+14155550701', firstName: 'Lea', lastName: 'Rossi' },
        a.token,
      ),
      201,
    ).id;
    providers.answerWith(() => [201, { id: 'vapi-call-701', status: 'queued' }]);
    const made = bodyOf(
      await c.post('/api/v1/campaigns', { name: 'Vapi run', leads: { ids: [leadId] } }, a.token),
      201,
    );
    bodyOf(await c.post(`/api/v1/campaigns/${made.id}/start`, {}, a.token), 200);

    const call = await until(
      async () =>
        (await owner.query('SELECT * FROM calls WHERE tenant_id = $1', [a.tenantId])).rows[0],
      (x) => x?.provider_call_id === 'vapi-call-701',
    );
    expect(call.provider).toBe('vapi');
    const sent = providers.seen.find((s) => s.path === '/vapi/call');
    expect(sent).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer vapi-private-key-2', 'content-type': 'application/json' },
      body: {
        phoneNumberId: 'pn_sales',
        customer: { number: '+14155550701', name: 'Lea Rossi' },
        assistant: {
          name: 'Vera',
          firstMessage: 'Hi, Vera here.',
          model: {
            provider: 'openai',
            model: 'gpt-4o',
            messages: [{ role: 'system', content: 'Book a demo.' }],
          },
          voice: { provider: 'openai', voiceId: 'nova' },
          maxDurationSeconds: 300,
          artifactPlan: { recordingEnabled: false },
          // which version ran, echoed in Vapi's events
          metadata: { accAgentId: agentId, accAgentVersion: 1 },
        },
        metadata: { accCallId: call.id, accAgentId: agentId, accAgentVersion: 1 },
      },
    });

    // Vapi reports the end of that call to the workspace's events URL
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const report = vapiEndOfCallReport({
      callId: 'vapi-call-701',
      agentId: 'transient',
      customer: '+14155550701',
      line: '+14155550100',
      startedAt,
      endedAt: new Date(Date.now() - 5_000).toISOString(),
    });
    const delivered = await c.call('POST', `/api/v1/integrations/vapi/events/${a.tenantId}`, {
      raw: JSON.stringify(report),
      headers: { 'content-type': 'application/json', authorization: 'Bearer vapi-events-secret-2' },
    });
    expect(delivered.status).toBe(200);
    const done = await until(
      async () => Campaign.parse(bodyOf(await c.get(`/api/v1/campaigns/${made.id}`, a.token), 200)),
      (x) => x.status === 'completed',
    );
    expect(done.progress).toMatchObject({ total: 1, completed: 1 });
    expect((await callOf(a, call.id)).status).toBe('completed');
    expect(
      (await owner.query('SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1', [a.tenantId]))
        .rows[0].n,
    ).toBe(1);
  });

  it('Retell: the agent is created at Retell on its first call, rewritten after a change, and answers each call', async () => {
    const a = await signup(c, 'RetellRun');
    const agentId = bodyOf(
      await c.post(
        '/api/v1/agents',
        {
          name: 'Rae',
          systemPrompt: 'Confirm the appointment.',
          firstMessage: 'Hi, Rae from the clinic.',
          llmModel: 'gpt-4.1',
          temperature: 1.4,
          voice: 'nova',
          maxCallSeconds: 300,
          silenceTimeoutSeconds: 5,
          voicemailBehavior: 'leave_message',
          voicemailMessage: 'Please call us back.',
          transferDestinations: [{ label: 'the front desk', phone: '+14155550299' }],
        },
        a.token,
      ),
      201,
    ).id;
    bodyOf(await anyTime(a, agentId), 200);
    bodyOf(
      await c.put(
        '/api/v1/tenant/dialer',
        { type: 'retell', apiKey: 'key_retell_3', callerId: '+14155550200' },
        a.token,
      ),
      200,
    );
    const leadId = bodyOf(
      await c.post(
        '/api/v1/leads',
        { phone: '+14155550702', firstName: 'Ola', company: 'Acme' },
        a.token,
      ),
      201,
    ).id;
    let calls = 0;
    providers.answerWith((s) =>
      s.path === '/retell/create-retell-llm'
        ? [201, { llm_id: 'llm_rae' }]
        : s.path === '/retell/create-agent'
          ? [201, { agent_id: 'agent_rae' }]
          : s.path === '/retell/v2/create-phone-call'
            ? [201, { call_id: `retell-70${++calls}`, call_status: 'registered' }]
            : [200, {}],
    );
    const from = providers.seen.length;
    const retellSeen = () =>
      providers.seen.slice(from).map((s) => `${s.method} ${s.path.replace('/retell', '')}`);
    let n = 0;
    const callNow = async () => {
      // a new lead each time: a lead has one call at a time
      const lead =
        n++ === 0
          ? leadId
          : bodyOf(await c.post('/api/v1/leads', { phone: `+1415555071${n}` }, a.token), 201).id;
      const placed = bodyOf(await c.post(`/api/v1/leads/${lead}/call`, {}, a.token), 202);
      const done = await until(
        () => callOf(a, placed.id),
        (x) => x.providerCallId !== null || x.status === 'failed',
      );
      expect(done).toMatchObject({ provider: 'retell', status: 'queued' });
      return placed.id as string;
    };

    const first = await callNow();
    expect(retellSeen()).toEqual([
      'POST /create-retell-llm',
      'POST /create-agent',
      'POST /v2/create-phone-call',
    ]);
    const seen = providers.seen.slice(from);
    for (const s of seen) expect(s.headers.authorization).toBe('Bearer key_retell_3');
    expect(seen[0].body).toEqual({
      general_prompt: 'Confirm the appointment.',
      begin_message: 'Hi, Rae from the clinic.',
      start_speaker: 'agent',
      model: 'gpt-4.1',
      model_temperature: 1,
      general_tools: [
        { type: 'end_call', name: 'end_call', description: expect.any(String) },
        {
          type: 'transfer_call',
          name: 'transfer_1',
          description: 'Transfer the call to the front desk.',
          transfer_destination: { type: 'predefined', number: '+14155550299' },
        },
      ],
    });
    expect(seen[1].body).toEqual({
      agent_name: 'Rae',
      response_engine: { type: 'retell-llm', llm_id: 'llm_rae' },
      voice_id: 'openai-Nova',
      language: 'en-US',
      max_call_duration_ms: 300_000,
      end_call_after_silence_ms: 10_000,
      voicemail_option: { action: { type: 'static_text', text: 'Please call us back.' } },
      // recording is off in this workspace's Settings
      data_storage_setting: 'basic_attributes_only',
    });
    expect(seen[2].body).toEqual({
      from_number: '+14155550200',
      to_number: '+14155550702',
      override_agent_id: 'agent_rae',
      metadata: { accCallId: first, accAgentId: agentId, accAgentVersion: 1 },
      retell_llm_dynamic_variables: { first_name: 'Ola', company: 'Acme' },
    });
    // linked: Retell's events naming agent_rae are this agent's calls
    expect(bodyOf(await c.get(`/api/v1/agents/${agentId}`, a.token), 200).retellAgentId).toBe(
      'agent_rae',
    );

    // unchanged: nothing is written again
    await callNow();
    expect(retellSeen().slice(3)).toEqual(['POST /v2/create-phone-call']);

    // a new prompt reaches Retell before the next call
    bodyOf(
      await c.patch(
        `/api/v1/agents/${agentId}`,
        { systemPrompt: 'Reschedule if needed.' },
        a.token,
      ),
      200,
    );
    await callNow();
    expect(retellSeen().slice(4)).toEqual([
      'PATCH /update-retell-llm/llm_rae',
      'PATCH /update-agent/agent_rae',
      'POST /v2/create-phone-call',
    ]);
    expect(providers.seen[from + 4].body).toMatchObject({
      general_prompt: 'Reschedule if needed.',
    });
    expect(providers.seen[from + 5].body).toMatchObject({
      response_engine: { type: 'retell-llm', llm_id: 'llm_rae' },
    });
    // the call runs the new version, and says so to Retell (its events echo it)
    expect(providers.seen[from + 6].body).toMatchObject({
      metadata: { accAgentId: agentId, accAgentVersion: 2 },
    });
  });

  it('Retell: a refused configuration fails the call with why, and places nothing', async () => {
    const a = await signup(c, 'RetellRefused');
    const agentId = bodyOf(
      await c.post('/api/v1/agents', { name: 'Rex', llmModel: 'no-such-model' }, a.token),
      201,
    ).id;
    bodyOf(await anyTime(a, agentId), 200);
    bodyOf(
      await c.put(
        '/api/v1/tenant/dialer',
        { type: 'retell', apiKey: 'key_retell_4', callerId: '+14155550201' },
        a.token,
      ),
      200,
    );
    providers.answerWith((s) =>
      s.path === '/retell/create-retell-llm' ? [400, { error_message: 'bad model' }] : [201, {}],
    );
    const from = providers.seen.length;
    const leadId = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550705' }, a.token),
      201,
    ).id;
    const placed = bodyOf(await c.post(`/api/v1/leads/${leadId}/call`, {}, a.token), 202);
    const failed = await until(
      () => callOf(a, placed.id),
      (x) => x.status === 'failed',
    );
    expect(failed.endReason).toBe("retell refused the agent's configuration: HTTP 400");
    expect(providers.seen.slice(from).map((s) => s.path)).toEqual(['/retell/create-retell-llm']);
  });

  it('a provider that refuses (or answers no id) ends the call failed, with why', async () => {
    const a = await signup(c, 'Refused');
    const agentId = bodyOf(await c.post('/api/v1/agents', { name: 'Rex' }, a.token), 201).id;
    bodyOf(await anyTime(a, agentId), 200);
    bodyOf(
      await c.put(
        '/api/v1/tenant/dialer',
        { type: 'vapi', apiKey: 'vapi-wrong-key', phoneNumberId: 'pn_x' },
        a.token,
      ),
      200,
    );
    providers.answerWith(() => [401, { message: 'Invalid Key' }]);
    const lead1 = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550703' }, a.token), 201).id;
    const p1 = bodyOf(await c.post(`/api/v1/leads/${lead1}/call`, {}, a.token), 202);
    expect(
      (
        await until(
          () => callOf(a, p1.id),
          (x) => x.status === 'failed',
        )
      ).endReason,
    ).toBe('vapi refused the call: HTTP 401');
    providers.answerWith(() => [201, { status: 'queued' }]);
    const lead2 = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550704' }, a.token), 201).id;
    const p2 = bodyOf(await c.post(`/api/v1/leads/${lead2}/call`, {}, a.token), 202);
    expect(
      (
        await until(
          () => callOf(a, p2.id),
          (x) => x.status === 'failed',
        )
      ).endReason,
    ).toBe('vapi answered without a call id');
  });
});
