import type { Client as Pg } from 'pg';
import { DialerSettings, UpdatedDialer } from '@acc/contracts';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';

/**
 * The webhook dialer against a bridge on loopback that checks each request
 * as a bridge would: Standard Webhooks signature with the secret shown once,
 * the call and the agent's whole configuration in the body.
 */
describe('dialer settings and the webhook dialer (real HTTP, a local bridge)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let bridge: Receiver;
  let a: Account;
  let member: Account;

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

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    bridge = await startReceiver();
    t = await startTestApp(db, {
      ...FAST_WEBHOOKS,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    });
    c = client(t.url);
    a = await signup(c, 'Bridge');
    member = await addMember(c, smtp, a, 'member');
  });

  afterAll(async () => {
    await t?.close();
    await bridge?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('the simulator is the default; only an admin reads or changes the dialer, a key never changes it', async () => {
    expect(
      DialerSettings.parse(bodyOf(await c.get('/api/v1/tenant/dialer', a.token), 200)),
    ).toEqual({
      type: 'simulator',
      callerId: null,
      url: null,
      phoneNumberId: null,
      secretSet: false,
    });
    expect((await c.get('/api/v1/tenant/dialer', member.token)).status).toBe(403);
    expect((await c.put('/api/v1/tenant/dialer', { type: 'simulator' }, member.token)).status).toBe(
      403,
    );
    const key = await createApiKey(c, a, 'admin');
    expect((await c.put('/api/v1/tenant/dialer', { type: 'simulator' }, key.key)).status).toBe(403);
    for (const bad of [
      { type: 'webhook' },
      { type: 'carrier-pigeon' },
      { type: 'webhook', url: 'ftp://bridge.example.com' },
      { type: 'simulator', callerId: 'nope' },
      { type: 'simulator', secret: 'x' },
    ]) {
      const res = await c.put('/api/v1/tenant/dialer', bad, a.token);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
  });

  it('places calls through the bridge: signed call.dispatch with the call and the agent, the bridge id recorded, the result reported back', async () => {
    const set = UpdatedDialer.parse(
      bodyOf(
        await c.put(
          '/api/v1/tenant/dialer',
          { type: 'webhook', url: bridge.url('/dial'), callerId: '+1 415 555 0100' },
          a.token,
        ),
        200,
      ),
    );
    expect(set).toMatchObject({ type: 'webhook', callerId: '+14155550100', secretSet: true });
    expect(set.signingSecret).toMatch(/^whsec_/);
    const stored = (
      await owner.query('SELECT dialer_secret FROM tenant_configs WHERE tenant_id = $1', [
        a.tenantId,
      ])
    ).rows[0];
    expect(stored.dialer_secret.toString('latin1')).not.toContain(set.signingSecret?.slice(6, 20));
    // shown once: the next PUT keeps it and answers none
    const again = bodyOf(
      await c.put(
        '/api/v1/tenant/dialer',
        { type: 'webhook', url: bridge.url('/dial'), callerId: '+14155550100' },
        a.token,
      ),
      200,
    );
    expect(again.signingSecret).toBeUndefined();
    bridge.expect('/dial', set.signingSecret as string);
    bridge.answerWith((_r, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ callId: 'br-42' }));
    });

    const agentId = bodyOf(
      await c.post(
        '/api/v1/agents',
        {
          name: 'Bea',
          systemPrompt: 'Qualify the lead.',
          firstMessage: 'Hello!',
          voice: 'shimmer',
        },
        a.token,
      ),
      201,
    ).id;
    const leadId = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550501', firstName: 'Lu' }, a.token),
      201,
    ).id;
    const placed = await c.post(
      `/api/v1/leads/${leadId}/call`,
      { agentId, overrideWindow: true },
      a.token,
    );
    expect(placed.status).toBe(202);
    const [req] = await bridge.waitFor((r) => r.path === '/dial');
    expect(req.headers['webhook-id']).toBe(placed.body.id);
    expect(req.verified).toMatchObject({
      type: 'call.dispatch',
      data: {
        call: {
          id: placed.body.id,
          status: 'queued',
          fromNumber: '+14155550100',
          toNumber: '+14155550501',
        },
        lead: { id: leadId, firstName: 'Lu', phone: '+14155550501' },
        agent: {
          id: agentId,
          name: 'Bea',
          systemPrompt: 'Qualify the lead.',
          firstMessage: 'Hello!',
          voice: 'shimmer',
        },
        recordingEnabled: true,
      },
    });
    const call = await until(
      async () => bodyOf(await c.get(`/api/v1/calls/${placed.body.id}`, a.token), 200),
      (x) => x.providerCallId === 'br-42',
    );
    expect(call).toMatchObject({ provider: 'bridge', status: 'queued' });
    // the bridge reports the call's progress with an API key, as any integration does
    const key = await createApiKey(c, a, 'member');
    bodyOf(await c.patch(`/api/v1/calls/${call.id}`, { status: 'in_progress' }, key.key), 200);
    bodyOf(
      await c.patch(
        `/api/v1/calls/${call.id}`,
        { status: 'completed', outcome: 'interested' },
        key.key,
      ),
      200,
    );
  });

  it('a bridge that refuses (or answers without an id) ends the call failed, with why', async () => {
    bridge.answerWith((_r, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    const leadId = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550502' }, a.token),
      201,
    ).id;
    const agentId = bodyOf(await c.post('/api/v1/agents', { name: 'Cy' }, a.token), 201).id;
    const placed = bodyOf(
      await c.post(`/api/v1/leads/${leadId}/call`, { agentId, overrideWindow: true }, a.token),
      202,
    );
    const failed = await until(
      async () => bodyOf(await c.get(`/api/v1/calls/${placed.id}`, a.token), 200),
      (x) => x.status === 'failed',
    );
    expect(failed.endReason).toBe('the bridge refused the call: HTTP 503');
    bridge.answerWith((_r, res) => res.end('ok'));
    const leadId2 = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550503' }, a.token),
      201,
    ).id;
    const placed2 = bodyOf(
      await c.post(`/api/v1/leads/${leadId2}/call`, { agentId, overrideWindow: true }, a.token),
      202,
    );
    const failed2 = await until(
      async () => bodyOf(await c.get(`/api/v1/calls/${placed2.id}`, a.token), 200),
      (x) => x.status === 'failed',
    );
    expect(failed2.endReason).toBe('the bridge answered without {"callId": "..."}');
  });
});
