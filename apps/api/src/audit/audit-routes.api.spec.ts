import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, PASSWORD, addMember, createApiKey, login, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { vapiEndOfCallReport, vapiStatusUpdate } from '../testing/provider-payloads';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

interface Row {
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  changes: Record<string, unknown>;
}

/**
 * Each mutating route family writes exactly one audit event, with the
 * actor of the request (a person or an API key) and the change's diff.
 */
describe('audit events of each mutating route (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let adminKey: { id: string; key: string };

  /** The events `step` wrote in A's tenant: it must be exactly one. */
  const one = async (step: () => Promise<unknown>): Promise<Row> => {
    const rows = await written(step);
    expect(rows.map((r) => r.action)).toHaveLength(1);
    return rows[0];
  };
  const written = async (step: () => Promise<unknown>, tenantId = a.tenantId): Promise<Row[]> => {
    const since = (await owner.query('SELECT clock_timestamp() AS t')).rows[0].t;
    await step();
    return eventsSince(since, tenantId);
  };
  const eventsSince = async (since: string, tenantId = a.tenantId): Promise<Row[]> =>
    (
      await owner.query(
        `SELECT actor_type, actor_id, actor_name, action, resource_type, resource_id, changes
           FROM audit_events WHERE tenant_id = $1 AND at > $2 ORDER BY at`,
        [tenantId, since],
      )
    ).rows;
  /** Polls until `check` holds (the job engine and background events run on their own). */
  const eventually = async <T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> => {
    const until = Date.now() + 60_000;
    let v = await read();
    while (!check(v)) {
      if (Date.now() > until) throw new Error(`still not there: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  };
  const byOwner = (r: Row) =>
    expect(r).toMatchObject({ actor_type: 'user', actor_id: a.userId, actor_name: 'Routes Owner' });
  const byKey = (r: Row) =>
    expect(r).toMatchObject({ actor_type: 'api_key', actor_id: adminKey.id, actor_name: 'Robot' });

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SIMULATOR_STEP_MS: '40',
      JOBS_POLL_INTERVAL_MS: '100',
    });
    c = client(t.url);
    a = await signup(c, 'Routes');
    adminKey = await createApiKey(c, a, 'admin', { name: 'Robot' });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('agents: created, updated (diff of the fields sent), deleted; by a person and by a key', async () => {
    let id = '';
    const created = await one(
      async () => (id = bodyOf(await c.post('/api/v1/agents', { name: 'Sam' }, a.token), 201).id),
    );
    byOwner(created);
    expect(created).toMatchObject({
      action: 'agent.created',
      resource_type: 'agent',
      resource_id: id,
    });
    expect(created.changes).toMatchObject({ name: [null, 'Sam'] });
    const updated = await one(() =>
      c.patch(`/api/v1/agents/${id}`, { systemPrompt: 'Be brief.' }, adminKey.key),
    );
    byKey(updated);
    expect(updated).toMatchObject({ action: 'agent.updated', resource_id: id });
    expect(Object.keys(updated.changes)).toEqual(['systemPrompt']);
    expect((updated.changes['systemPrompt'] as unknown[])[1]).toBe('Be brief.');
    const removed = await one(() => c.delete(`/api/v1/agents/${id}`, a.token));
    expect(removed).toMatchObject({ action: 'agent.deleted', resource_id: id });
  });

  it('members: invited, role_changed, removed', async () => {
    const email = `m-${Date.now()}@example.com`;
    let id = '';
    const invited = await one(
      async () =>
        (id = bodyOf(
          await c.post('/api/v1/users', { email, fullName: 'Bob', role: 'member' }, a.token),
          201,
        ).id),
    );
    byOwner(invited);
    expect(invited).toMatchObject({
      action: 'member.invited',
      resource_type: 'member',
      resource_id: id,
    });
    expect(invited.changes).toMatchObject({ role: [null, 'member'], email: [null, email] });
    const token = await smtp.waitFor(email, /accept-invite\?token=([A-Za-z0-9_-]+)/);
    bodyOf(await c.post('/api/v1/auth/accept-invite', { token, password: PASSWORD }), 200);
    const changed = await one(() => c.patch(`/api/v1/users/${id}`, { role: 'owner' }, a.token));
    expect(changed).toMatchObject({ action: 'member.role_changed', resource_id: id });
    expect(changed.changes).toEqual({ role: ['member', 'owner'] });
    const removed = await one(() => c.delete(`/api/v1/users/${id}`, a.token));
    expect(removed).toMatchObject({ action: 'member.removed', resource_id: id });
  });

  it('API keys: created (never the key itself), revoked', async () => {
    let key = { id: '', key: '' };
    const created = await one(async () => (key = await createApiKey(c, a, 'viewer')));
    expect(created).toMatchObject({ action: 'api_key.created', resource_id: key.id });
    expect(JSON.stringify(created.changes)).not.toContain(key.key);
    const revoked = await one(() => c.delete(`/api/v1/api-keys/${key.id}`, a.token));
    expect(revoked).toMatchObject({ action: 'api_key.revoked', resource_id: key.id });
  });

  it('webhooks: created, updated, secret rotated (the secret only as "changed"), deleted', async () => {
    let id = '';
    let secret = '';
    const created = await one(async () => {
      const w = bodyOf(
        await c.post(
          '/api/v1/webhooks',
          { url: 'http://127.0.0.1:9/hook', events: ['lead.created'] },
          a.token,
        ),
        201,
      );
      id = w.id;
      secret = w.secret;
    });
    byOwner(created);
    expect(created.changes).toMatchObject({
      secret: 'changed',
      url: [null, 'http://127.0.0.1:9/hook'],
    });
    expect(JSON.stringify(created.changes)).not.toContain(secret);
    const updated = await one(() => c.patch(`/api/v1/webhooks/${id}`, { enabled: false }, a.token));
    expect(updated).toMatchObject({
      action: 'webhook.updated',
      changes: { enabled: [true, false] },
    });
    const rotated = await one(() => c.post(`/api/v1/webhooks/${id}/rotate-secret`, {}, a.token));
    expect(rotated).toMatchObject({
      action: 'webhook.secret_rotated',
      changes: { secret: 'changed' },
    });
    const removed = await one(() => c.delete(`/api/v1/webhooks/${id}`, a.token));
    expect(removed).toMatchObject({ action: 'webhook.deleted', resource_id: id });
  });

  it('settings: the tenant, its configuration (with the audit retention), the dialer (its key only as "changed")', async () => {
    const renamed = await one(() => c.patch('/api/v1/tenant', { name: 'Renamed Calls' }, a.token));
    expect(renamed).toMatchObject({
      action: 'tenant.updated',
      changes: { name: ['Routes Calls', 'Renamed Calls'] },
    });
    const config = {
      timezone: 'Europe/Paris',
      callingWindowStart: '09:00',
      callingWindowEnd: '18:00',
      callingDays: [1, 2, 3],
      defaultAgentId: null,
      maxConcurrentCalls: 3,
      recordingEnabled: true,
    };
    const settings = await one(async () =>
      bodyOf(
        await c.put('/api/v1/tenant/config', { ...config, auditRetentionDays: 90 }, a.token),
        200,
      ),
    );
    expect(settings).toMatchObject({ action: 'settings.updated', resource_type: 'tenant_config' });
    expect(settings.changes).toMatchObject({
      timezone: ['UTC', 'Europe/Paris'],
      auditRetentionDays: [365, 90],
    });
    // left out, the retention stays as it is
    expect(bodyOf(await c.put('/api/v1/tenant/config', config, a.token), 200)).toMatchObject({
      auditRetentionDays: 90,
    });
    const dialer = await one(() =>
      c.put(
        '/api/v1/tenant/dialer',
        { type: 'vapi', apiKey: 'vapi-secret-key', phoneNumberId: 'pn_1' },
        a.token,
      ),
    );
    expect(dialer).toMatchObject({ action: 'dialer_settings.updated' });
    expect(dialer.changes).toMatchObject({ type: ['simulator', 'vapi'], secret: 'changed' });
    expect(JSON.stringify(dialer.changes)).not.toContain('vapi-secret-key');
    bodyOf(await c.put('/api/v1/tenant/dialer', { type: 'simulator' }, a.token), 200);
  });

  it('do-not-call: added, removed, imported (one event with counts)', async () => {
    let id = '';
    const added = await one(
      async () =>
        (id = bodyOf(
          await c.post('/api/v1/dnc', { phone: '+14155550199', reason: 'asked' }, a.token),
          201,
        ).id),
    );
    expect(added).toMatchObject({
      action: 'dnc.added',
      changes: { phone: [null, '+14155550199'] },
    });
    const removed = await one(() => c.delete(`/api/v1/dnc/${id}`, a.token));
    expect(removed).toMatchObject({ action: 'dnc.removed', resource_id: id });
    const imported = await one(() =>
      fetch(`${t.url}/api/v1/dnc/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
        body: 'phone\n+14155550201\n+14155550202\nnope\n',
      }),
    );
    expect(imported).toMatchObject({
      action: 'dnc.imported',
      changes: { inserted: [null, 2], existing: [null, 0], rejected: [null, 1] },
    });
  });

  it('campaigns: created, updated, started (one event with the lead count), paused, resumed, cancelled', async () => {
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Dialer' }, a.token), 201).id;
    for (const phone of ['+14155550301', '+14155550302'])
      bodyOf(await c.post('/api/v1/leads', { phone, tags: ['spring'] }, a.token), 201);
    let id = '';
    const created = await one(
      async () =>
        (id = bodyOf(
          await c.post(
            '/api/v1/campaigns',
            // starting tomorrow: the engine places no call while the test runs (its events,
            // and the simulator's steps of its calls, would land among later steps' events)
            {
              name: 'Spring',
              agentId: agent,
              leads: { tags: ['spring'] },
              schedule: { startAt: new Date(Date.now() + 86_400_000).toISOString() },
            },
            a.token,
          ),
          201,
        ).id),
    );
    expect(created).toMatchObject({ action: 'campaign.created', resource_id: id });
    const updated = await one(() =>
      c.patch(`/api/v1/campaigns/${id}`, { name: 'Spring 2' }, a.token),
    );
    expect(updated).toMatchObject({
      action: 'campaign.updated',
      changes: { name: ['Spring', 'Spring 2'] },
    });
    const started = await one(() => c.post(`/api/v1/campaigns/${id}/start`, {}, a.token));
    expect(started).toMatchObject({
      action: 'campaign.started',
      changes: { status: ['draft', 'running'], leads: [null, 2] },
    });
    for (const [verb, action] of [
      ['pause', 'campaign.paused'],
      ['resume', 'campaign.resumed'],
      ['cancel', 'campaign.cancelled'],
    ]) {
      const r = await one(() => c.post(`/api/v1/campaigns/${id}/${verb}`, {}, adminKey.key));
      byKey(r);
      expect(r).toMatchObject({ action, resource_id: id });
    }
    const placed = await owner.query(
      'SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1 AND agent_id = $2',
      [a.tenantId, agent],
    );
    expect(placed.rows[0].n).toBe(0);
  });

  it('integrations: a provider secret set is recorded as "changed" only', async () => {
    const r = await one(() => c.put('/api/v1/integrations/vapi', { secret: 'vapi-shh' }, a.token));
    expect(r).toMatchObject({ action: 'integration.secret_set', changes: { secret: 'changed' } });
    expect(JSON.stringify(r.changes)).not.toContain('vapi-shh');
  });

  it("auth: a sign-in and a failed one are the account's tenant's security events", async () => {
    const events = async (action: string) =>
      (
        await owner.query(
          'SELECT actor_id, ip FROM audit_events WHERE tenant_id = $1 AND action = $2',
          [a.tenantId, action],
        )
      ).rows;
    const before = (await events('auth.login')).length;
    bodyOf(await c.post('/api/v1/auth/login', { email: a.email, password: PASSWORD }), 200);
    expect(
      (await c.post('/api/v1/auth/login', { email: a.email, password: 'wrong one!' })).status,
    ).toBe(401);
    expect(
      (await c.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'x' })).status,
    ).toBe(401);
    // recorded in the background, not to delay the answer
    for (
      let i = 0;
      i < 100 &&
      ((await events('auth.login_failed')).length < 1 ||
        (await events('auth.login')).length <= before);
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    expect(await events('auth.login')).toHaveLength(before + 1);
    const failed = await events('auth.login_failed');
    expect(failed).toEqual([{ actor_id: a.userId, ip: expect.stringMatching(/127\.0\.0\.1/) }]);
  });

  it('calls: created and updated through the API (the conversation not copied), by a person and by a key', async () => {
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Caller' }, a.token), 201).id;
    let id = '';
    const created = await one(
      async () =>
        (id = bodyOf(
          await c.post(
            '/api/v1/calls',
            {
              agentId: agent,
              direction: 'outbound',
              fromNumber: '+14155550501',
              toNumber: '+14155550502',
            },
            a.token,
          ),
          201,
        ).id),
    );
    byOwner(created);
    expect(created).toMatchObject({
      action: 'call.created',
      resource_type: 'call',
      resource_id: id,
    });
    expect(created.changes).toMatchObject({
      status: [null, 'queued'],
      agentId: [null, agent],
      toNumber: [null, '+14155550502'],
    });
    const updated = await one(() =>
      c.patch(
        `/api/v1/calls/${id}`,
        { status: 'in_progress', transcript: [{ role: 'agent', text: 'Hello Dana', startMs: 0 }] },
        adminKey.key,
      ),
    );
    byKey(updated);
    expect(updated).toMatchObject({ action: 'call.updated', resource_id: id });
    expect(updated.changes).toMatchObject({ status: ['queued', 'in_progress'] });
    expect(JSON.stringify(updated.changes)).not.toContain('Hello Dana');
  });

  it("calls from a provider's events: the provider integration is the actor, of the lead and agent its first call makes too; a repeat writes nothing", async () => {
    const secret = 'vapi-audit-secret';
    bodyOf(await c.put('/api/v1/integrations/vapi', { secret }, a.token), 200);
    const s = {
      callId: randomUUID(),
      agentId: 'asst_audit_01',
      customer: '+14155550601',
      line: '+14155550999',
      startedAt: '2026-11-02T10:00:00.000Z',
      endedAt: '2026-11-02T10:01:12.000Z',
    };
    const send = async (body: unknown) =>
      bodyOf(
        await c.call('POST', `/api/v1/integrations/vapi/events/${a.tenantId}`, {
          raw: JSON.stringify(body),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        }),
        200,
      );
    let callId = '';
    const first = await written(
      async () => (callId = (await send(vapiStatusUpdate(s, 'in-progress', s.startedAt))).callId),
    );
    const byVapi = { actor_type: 'integration', actor_id: 'vapi', actor_name: 'Vapi' };
    const of = (action: string) => first.find((r) => r.action === action) as Row;
    expect(first.map((r) => r.action).sort()).toEqual([
      'agent.created',
      'call.created',
      'lead.created',
    ]);
    const call = bodyOf(await c.get(`/api/v1/calls/${callId}`, a.token), 200);
    expect(of('lead.created')).toMatchObject({ ...byVapi, resource_id: call.leadId });
    expect(of('lead.created').changes).toEqual({
      phone: [null, '+14155550601'],
      firstName: [null, 'Dana Lee'],
      source: [null, 'Vapi'],
    });
    expect(of('agent.created')).toMatchObject({ ...byVapi, resource_id: call.agentId });
    expect(of('agent.created').changes).toMatchObject({ vapiAssistantId: [null, 'asst_audit_01'] });
    const started = of('call.created');
    expect(started).toMatchObject({ ...byVapi, action: 'call.created', resource_id: callId });
    expect(started.changes).toMatchObject({
      status: [null, 'in_progress'],
      provider: [null, 'vapi'],
    });
    const ended = await one(() => send(vapiEndOfCallReport(s)));
    expect(ended).toMatchObject({ ...byVapi, action: 'call.updated', resource_id: callId });
    expect(ended.changes).toMatchObject({ status: ['in_progress', 'completed'] });
    expect(await written(() => send(vapiEndOfCallReport(s)))).toEqual([]);
    // another call of the same number and assistant: only the call is new
    const again = await one(() => send(vapiEndOfCallReport({ ...s, callId: randomUUID() })));
    expect(again).toMatchObject({ ...byVapi, action: 'call.created' });
  });

  it('the campaign engine: the calls it places, the simulator steps, a do-not-call disposition, the campaign completed', async () => {
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Engine' }, a.token), 201).id;
    bodyOf(
      await c.put(
        '/api/v1/tenant/config',
        {
          timezone: 'UTC',
          callingWindowStart: '00:00',
          callingWindowEnd: '23:59',
          callingDays: [1, 2, 3, 4, 5, 6, 7],
          defaultAgentId: null,
          maxConcurrentCalls: 5,
          recordingEnabled: false,
        },
        a.token,
      ),
      200,
    );
    const phone = '+14155550701';
    bodyOf(
      await c.post(
        '/api/v1/leads',
        { phone, tags: ['engine'], customFields: { simulate: 'do_not_call' } },
        a.token,
      ),
      201,
    );
    const id = bodyOf(
      await c.post(
        '/api/v1/campaigns',
        {
          name: 'Engine',
          agentId: agent,
          leads: { tags: ['engine'] },
          schedule: {
            days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            window: { start: '00:00', end: '23:59' },
            timezone: 'UTC',
          },
        },
        a.token,
      ),
      201,
    ).id;
    const since = (await owner.query('SELECT clock_timestamp() AS t')).rows[0].t;
    bodyOf(await c.post(`/api/v1/campaigns/${id}/start`, {}, a.token), 200);
    const rows = await eventually(
      () => eventsSince(since),
      (r) => r.some((e) => e.action === 'campaign.completed'),
    );
    const engine = {
      actor_type: 'system',
      actor_id: 'campaign_engine',
      actor_name: 'Campaign engine',
    };
    const byAction = (action: string) => rows.filter((r) => r.action === action);
    expect(byAction('campaign.started')).toHaveLength(1);
    const [placed] = byAction('call.created');
    expect(byAction('call.created')).toHaveLength(1);
    expect(placed).toMatchObject({ ...engine, resource_type: 'call' });
    expect(placed.changes).toMatchObject({ status: [null, 'queued'], toNumber: [null, phone] });
    const steps = byAction('call.updated');
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps)
      expect(step).toMatchObject({
        actor_type: 'integration',
        actor_id: 'simulator',
        resource_id: placed.resource_id,
      });
    expect(steps.at(-1)?.changes).toMatchObject({ status: ['in_progress', 'completed'] });
    expect(byAction('dnc.added')).toEqual([
      expect.objectContaining({
        ...engine,
        changes: expect.objectContaining({
          phone: [null, phone],
          callId: [null, placed.resource_id],
        }),
      }),
    ]);
    expect(byAction('campaign.completed')).toEqual([
      expect.objectContaining({
        ...engine,
        resource_id: id,
        changes: { status: ['running', 'completed'] },
      }),
    ]);
  });

  it('webhooks: a test ping is recorded, with its delivery', async () => {
    const w = bodyOf(
      await c.post(
        '/api/v1/webhooks',
        { url: 'http://127.0.0.1:9/ping', events: ['lead.created'] },
        a.token,
      ),
      201,
    );
    let delivery = '';
    const r = await one(
      async () =>
        (delivery = bodyOf(await c.post(`/api/v1/webhooks/${w.id}/test`, {}, a.token), 202).id),
    );
    byOwner(r);
    expect(r).toMatchObject({
      action: 'webhook.tested',
      resource_id: w.id,
      changes: { deliveryId: [null, delivery] },
    });
  });

  it('agents: a version restored is one event of its own, with the version numbers', async () => {
    const id = bodyOf(
      await c.post('/api/v1/agents', { name: 'Versioned', systemPrompt: 'First.' }, a.token),
      201,
    ).id;
    bodyOf(await c.patch(`/api/v1/agents/${id}`, { systemPrompt: 'Second.' }, a.token), 200);
    const r = await one(async () =>
      bodyOf(await c.post(`/api/v1/agents/${id}/versions/1/restore`, {}, adminKey.key), 201),
    );
    byKey(r);
    expect(r).toMatchObject({ action: 'agent.version_restored', resource_id: id });
    expect(r.changes).toEqual({
      version: [2, 3],
      restoredFrom: [null, 1],
      systemPrompt: ['Second.', 'First.'],
    });
  });

  it("signup: the new tenant's log starts with its owner's signup", async () => {
    const since = (await owner.query('SELECT clock_timestamp() AS t')).rows[0].t;
    const b = await signup(c, 'Fresh');
    const rows = await eventsSince(since, b.tenantId);
    expect(rows).toEqual([
      expect.objectContaining({
        actor_type: 'user',
        actor_id: b.userId,
        actor_name: 'Fresh Owner',
        action: 'auth.signup',
        resource_id: b.userId,
      }),
    ]);
    expect(rows[0].changes).toMatchObject({
      email: [null, b.email],
      tenant: [null, 'Fresh Calls'],
    });
    expect(JSON.stringify(rows[0].changes)).not.toContain(PASSWORD);
  });

  it("invitations: accepted and declined, in the app and from the mailed link, in the inviting tenant's log by the invitee", async () => {
    const invite = async (email: string) =>
      bodyOf(
        await c.post('/api/v1/users', { email, fullName: 'Guest', role: 'member' }, a.token),
        201,
      ).id as string;
    const pendingOf = async (who: Account) =>
      bodyOf(await c.get('/api/v1/invitations?limit=200', who.token), 200).data.find(
        (i: { tenant: { id: string } }) => i.tenant.id === a.tenantId,
      ).id as string;
    const answer = (who: string, action: string, status: unknown[]) =>
      expect.objectContaining({
        actor_type: 'user',
        actor_id: who,
        action,
        resource_type: 'member',
        resource_id: who,
        changes: { status },
      });

    // in the app, signed in to their own tenant
    const guest = await signup(c, 'Guest');
    await invite(guest.email);
    const accepted = await one(async () =>
      bodyOf(
        await c.post(`/api/v1/invitations/${await pendingOf(guest)}/accept`, {}, guest.token),
        200,
      ),
    );
    expect(accepted).toEqual(
      answer(guest.userId, 'member.invitation_accepted', ['invited', 'active']),
    );
    expect(accepted.actor_name).toBe('Guest Owner');
    const other = await signup(c, 'Other');
    await invite(other.email);
    const declined = await one(async () =>
      expect(
        (await c.post(`/api/v1/invitations/${await pendingOf(other)}/decline`, {}, other.token))
          .status,
      ).toBe(204),
    );
    expect(declined).toEqual(answer(other.userId, 'member.invitation_declined', ['invited', null]));

    // from the mailed link
    const linked = async () => {
      const email = `link-${randomUUID().slice(0, 8)}@example.com`;
      const id = await invite(email);
      return { id, token: await smtp.waitFor(email, /accept-invite\?token=([A-Za-z0-9_-]+)/) };
    };
    const x = await linked();
    const viaLink = await one(async () =>
      bodyOf(
        await c.post('/api/v1/auth/accept-invite', { token: x.token, password: PASSWORD }),
        200,
      ),
    );
    expect(viaLink).toEqual(answer(x.id, 'member.invitation_accepted', ['invited', 'active']));
    const y = await linked();
    const declinedLink = await one(async () =>
      expect((await c.post('/api/v1/auth/decline-invite', { token: y.token })).status).toBe(204),
    );
    expect(declinedLink).toEqual(answer(y.id, 'member.invitation_declined', ['invited', null]));
  });

  it("password reset: requested and completed, the account's tenant's security events (the password never stored)", async () => {
    const since = (await owner.query('SELECT clock_timestamp() AS t')).rows[0].t;
    expect((await c.post('/api/v1/auth/forgot-password', { email: a.email })).status).toBe(202);
    const requested = await eventually(
      () => eventsSince(since),
      (r) => r.length > 0,
    );
    expect(requested).toEqual([
      expect.objectContaining({
        actor_type: 'user',
        actor_id: a.userId,
        action: 'auth.password_reset_requested',
        resource_id: a.userId,
      }),
    ]);
    const token = await smtp.waitFor(a.email, /reset-password\?token=([A-Za-z0-9_-]+)/);
    const fresh = 'a brand new passphrase 7';
    const reset = await one(async () =>
      expect((await c.post('/api/v1/auth/reset-password', { token, password: fresh })).status).toBe(
        204,
      ),
    );
    expect(reset).toMatchObject({
      actor_type: 'user',
      actor_id: a.userId,
      actor_name: 'Routes Owner',
      action: 'auth.password_reset',
      changes: { password: 'changed' },
    });
    expect(JSON.stringify(reset.changes)).not.toContain(fresh);
    // the reset ended every session: the later tests sign in with the new password
    a = { ...a, password: fresh, token: await login(c, a.email, fresh) };
  });

  it('a viewer key changing nothing (403) writes nothing', async () => {
    const viewerKey = await createApiKey(c, a, 'viewer');
    const rows = await written(() =>
      c.post('/api/v1/leads', { phone: '+14155550401' }, viewerKey.key),
    );
    expect(rows).toEqual([]);
  });

  it('members of the same tenant: a member cannot read the log', async () => {
    const member = await addMember(c, smtp, a, 'member');
    expect((await c.get('/api/v1/audit-events', member.token)).status).toBe(403);
  });
});
