import type { Client as Pg } from 'pg';
import { Account, PASSWORD, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
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
  const written = async (step: () => Promise<unknown>): Promise<Row[]> => {
    const since = (await owner.query('SELECT clock_timestamp() AS t')).rows[0].t;
    await step();
    return (
      await owner.query(
        `SELECT actor_type, actor_id, actor_name, action, resource_type, resource_id, changes
           FROM audit_events WHERE tenant_id = $1 AND at > $2 ORDER BY at`,
        [a.tenantId, since],
      )
    ).rows;
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
            { name: 'Spring', agentId: agent, leads: { tags: ['spring'] } },
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
