import { ApiKeyUsage } from '../access/api-key-usage.service';
import { AuditPurge } from '../audit/audit-purge.service';
import { SeedService } from '../seed/seed.service';
import { UsageService } from '../usage/usage.service';
import { randomBytes } from 'node:crypto';
import { Retell } from 'retell-sdk';
import { Account, PASSWORD, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { retellCallEnded, vapiEndOfCallReport } from '../testing/provider-payloads';
import { captureSql } from '../testing/sql-capture';
import { DatabaseService } from './database.service';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { Receiver, startReceiver } from '../testing/webhook-receiver';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { CallDispatcher } from '../campaigns/call-dispatcher.service';
import { CampaignEngine } from '../campaigns/campaign-engine.service';

/**
 * The SQL every route sends, as text, in a snapshot: a change that alters a
 * statement (a repository's hand-written SQL, what the query builder or the
 * entity metadata generate) shows up in review as a diff of
 * __snapshots__/sql-snapshots.api.spec.ts.snap. Update it with
 * `npx jest -c apps/api/jest.config.cts sql-snapshots -u` and read the diff.
 */
describe('the SQL each route sends', () => {
  let db: TestDatabase;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  /** an account of another tenant, invited by a and by a third tenant */
  let b: Account;
  let sent: ReturnType<typeof captureSql>;
  let rx: Receiver;
  const ids: Record<string, string> = {};
  const links: Record<string, string> = {};

  /**
   * The distinct statements of one step, in the order first sent, whitespace
   * collapsed. The usage counts and the API keys' last use are flushed on a
   * timer too, whenever it fires: their transactions (every statement of the
   * connection that sent one) are kept for the steps that flush on purpose.
   */
  const BACKGROUND = /^(INSERT INTO api_usage|UPDATE api_keys k SET last_used_at)/;
  const FLUSH_STEPS = ['usage: counts flushed', 'API key use: flushed'];
  /**
   * Every connection back in the pool: a transaction still ending when a step
   * starts (its COMMIT logged late on a busy machine) belongs to the step before.
   */
  const settled = async (): Promise<void> => {
    const pool = t.app.get(DatabaseService).pool;
    for (let waited = 0; waited < 5_000; waited += 10) {
      if (pool.idleCount === pool.totalCount && pool.waitingCount === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the pool did not settle within 5 s');
  };
  const sqlOf = async (step: () => Promise<unknown>, keepFlushes: boolean): Promise<string[]> => {
    await settled();
    sent.take();
    await step();
    await settled();
    const all = sent.take().map((s) => ({ ...s, sql: s.sql.replace(/\s+/g, ' ').trim() }));
    const flushers = new Set(all.filter((s) => BACKGROUND.test(s.sql)).map((s) => s.runner));
    const texts = all.filter((s) => keepFlushes || !flushers.has(s.runner)).map((s) => s.sql);
    return [...new Set(texts)];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpCatcher();
    rx = await startReceiver();
    // the worker's statements are steps of their own, run when the step says, not in the background
    t = await startTestApp(db, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      WORKER_IN_API: 'false',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    c = client(t.url);
    b = await signup(c, 'Invitee');
    const other = await signup(c, 'Other');
    bodyOf(
      await c.post('/api/v1/users', { email: b.email, fullName: 'B', role: 'member' }, other.token),
      201,
    );
    sent = captureSql(t.app);
  });

  afterAll(async () => {
    sent?.stop();
    await t?.close();
    await smtp?.close();
    await rx?.close();
    await db?.drop();
  });

  const script = {
    callId: 'vapi-sql-1',
    agentId: 'asst_sql',
    customer: '+14155550177',
    line: '+14155550999',
    startedAt: '2026-11-02T10:00:00.000Z',
    endedAt: '2026-11-02T10:01:12.000Z',
  };

  const steps: Array<[string, () => Promise<unknown>]> = [
    ['POST /auth/signup', async () => (a = await signup(c, 'Sql'))],
    [
      'POST /auth/login',
      () => c.post('/api/v1/auth/login', { email: a.email, password: PASSWORD }),
    ],
    ['GET /auth/me', () => c.get('/api/v1/auth/me', a.token)],
    ['GET /tenants', () => c.get('/api/v1/tenants', a.token)],
    ['PATCH /tenant', () => c.patch('/api/v1/tenant', { name: 'Sql Calls' }, a.token)],
    ['GET /tenant/config', () => c.get('/api/v1/tenant/config', a.token)],
    [
      'PUT /tenant/config',
      async () =>
        bodyOf(
          await c.put(
            '/api/v1/tenant/config',
            {
              timezone: 'Europe/Paris',
              callingWindowStart: '09:00',
              callingWindowEnd: '18:00',
              callingDays: [1, 2, 3],
              defaultAgentId: null,
              maxConcurrentCalls: 3,
              recordingEnabled: true,
            },
            a.token,
          ),
          200,
        ),
    ],
    ['usage: counts flushed', () => t.app.get(UsageService).flush()],
    ['GET /tenant/usage', () => c.get('/api/v1/tenant/usage', a.token)],
    [
      'POST /users (invite)',
      async () => {
        // the same statements three times: invitations to accept, resend and revoke, decline
        for (const who of ['member', 'resent', 'decliner']) {
          const email = `${who}-${randomBytes(4).toString('hex')}@example.com`;
          const m = bodyOf(
            await c.post('/api/v1/users', { email, fullName: who, role: 'member' }, a.token),
            201,
          );
          ids[who] = m.id;
          links[who] = await smtp.waitFor(email, /accept-invite\?token=([A-Za-z0-9_-]+)/);
        }
      },
    ],
    [
      'POST /users (invite an existing account: the same answer)',
      () => c.post('/api/v1/users', { email: b.email, fullName: 'B', role: 'viewer' }, a.token),
    ],
    ['POST /auth/invitation', () => c.post('/api/v1/auth/invitation', { token: links['member'] })],
    [
      'POST /auth/accept-invite',
      () => c.post('/api/v1/auth/accept-invite', { token: links['member'], password: PASSWORD }),
    ],
    [
      'POST /auth/decline-invite',
      () => c.post('/api/v1/auth/decline-invite', { token: links['decliner'] }),
    ],
    [
      'GET /invitations',
      async () => {
        const page = bodyOf(await c.get('/api/v1/invitations', b.token), 200);
        for (const i of page.data)
          ids[i.tenant.id === a.tenantId ? 'toAccept' : 'toDecline'] = i.id;
      },
    ],
    [
      'POST /invitations/:id/accept',
      () => c.post(`/api/v1/invitations/${ids['toAccept']}/accept`, {}, b.token),
    ],
    [
      'POST /invitations/:id/decline',
      () => c.post(`/api/v1/invitations/${ids['toDecline']}/decline`, {}, b.token),
    ],
    [
      'POST /users/:id/invitation/resend',
      () => c.post(`/api/v1/users/${ids['resent']}/invitation/resend`, {}, a.token),
    ],
    [
      'DELETE /users/:id/invitation',
      () => c.delete(`/api/v1/users/${ids['resent']}/invitation`, a.token),
    ],
    ['GET /users', () => c.get('/api/v1/users', a.token)],
    [
      'PATCH /users/:id',
      () => c.patch(`/api/v1/users/${ids['member']}`, { role: 'viewer' }, a.token),
    ],
    ['DELETE /users/:id', () => c.delete(`/api/v1/users/${ids['member']}`, a.token)],
    [
      'POST /agents',
      async () =>
        (ids['agent'] = bodyOf(await c.post('/api/v1/agents', { name: 'Sam' }, a.token), 201).id),
    ],
    ['GET /agents?status&q', () => c.get('/api/v1/agents?status=active&q=sa', a.token)],
    ['GET /agents?archived=exclude', () => c.get('/api/v1/agents?archived=exclude', a.token)],
    [
      'PATCH /agents/:id',
      () => c.patch(`/api/v1/agents/${ids['agent']}`, { voice: 'nova' }, a.token),
    ],
    ['GET /agents/:id/versions', () => c.get(`/api/v1/agents/${ids['agent']}/versions`, a.token)],
    [
      'GET /agents/:id/versions/:n',
      () => c.get(`/api/v1/agents/${ids['agent']}/versions/2`, a.token),
    ],
    [
      'POST /agents/:id/versions/:n/restore',
      () => c.post(`/api/v1/agents/${ids['agent']}/versions/1/restore`, {}, a.token),
    ],
    [
      'POST /leads',
      async () =>
        (ids['lead'] = bodyOf(
          await c.post('/api/v1/leads', { phone: '+14155550111', tags: ['vip'] }, a.token),
          201,
        ).id),
    ],
    [
      'GET /leads (every filter)',
      () => c.get(`/api/v1/leads?status=new&agentId=${ids['agent']}&tag=vip&q=415`, a.token),
    ],
    ['GET /leads/:id', () => c.get(`/api/v1/leads/${ids['lead']}`, a.token)],
    [
      'PATCH /leads/:id',
      () => c.patch(`/api/v1/leads/${ids['lead']}`, { company: 'Acme' }, a.token),
    ],
    [
      'POST /leads/import',
      () =>
        fetch(`${t.url}/api/v1/leads/import`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
          body: 'phone,first_name,plan\n+14155550111,Old,gold\n+14155550112,New,silver\n',
        }).then((r) => r.text()),
    ],
    ['GET /leads/export', () => c.get('/api/v1/leads/export', a.token)],
    [
      'GET /leads?sort=-name, pages 1 and 2',
      async () => {
        const first = bodyOf(await c.get('/api/v1/leads?sort=-name&limit=1', a.token), 200);
        return c.get(`/api/v1/leads?sort=-name&limit=1&cursor=${first.nextCursor}`, a.token);
      },
    ],
    [
      'POST /calls (completed, with a provider id)',
      async () =>
        (ids['call'] = bodyOf(
          await c.post(
            '/api/v1/calls',
            {
              agentId: ids['agent'],
              leadId: ids['lead'],
              direction: 'outbound',
              fromNumber: '+14155550000',
              toNumber: '+14155550111',
              status: 'completed',
              provider: 'twilio',
              providerCallId: 'CA1',
            },
            a.token,
          ),
          201,
        ).id),
    ],
    [
      'PATCH /calls/:id',
      () => c.patch(`/api/v1/calls/${ids['call']}`, { outcome: 'sold' }, a.token),
    ],
    [
      'GET /calls (every filter)',
      () =>
        c.get(
          `/api/v1/calls?status=completed&direction=outbound&agentId=${ids['agent']}&leadId=${ids['lead']}&from=2020-01-01&to=2999-01-01`,
          a.token,
        ),
    ],
    ['GET /calls/:id', () => c.get(`/api/v1/calls/${ids['call']}`, a.token)],
    ['GET /calls/stats', () => c.get('/api/v1/calls/stats', a.token)],
    [
      'GET /calls/stats?groupBy=agentVersion&agentId',
      () => c.get(`/api/v1/calls/stats?groupBy=agentVersion&agentId=${ids['agent']}`, a.token),
    ],
    [
      'POST /api-keys',
      async () => {
        const k = bodyOf(
          await c.post('/api/v1/api-keys', { name: 'Sql', role: 'member' }, a.token),
          201,
        );
        ids['key'] = k.id;
        links['key'] = k.key;
      },
    ],
    ['GET /leads with an API key', () => c.get('/api/v1/leads', links['key'])],
    [
      'API key use: flushed',
      () => {
        const keyUsage = t.app.get(ApiKeyUsage);
        keyUsage.record(a.tenantId, ids['key']);
        return keyUsage.flush();
      },
    ],
    ['GET /api-keys', () => c.get('/api/v1/api-keys', a.token)],
    ['DELETE /api-keys/:id', () => c.delete(`/api/v1/api-keys/${ids['key']}`, a.token)],
    [
      'POST /campaigns',
      async () =>
        (ids['campaign'] = bodyOf(
          await c.post(
            '/api/v1/campaigns',
            { name: 'Sql', agentId: ids['agent'], leads: { tags: ['vip'], status: 'contacted' } },
            a.token,
          ),
          201,
        ).id),
    ],
    [
      'PATCH /campaigns/:id',
      () =>
        c.patch(
          `/api/v1/campaigns/${ids['campaign']}`,
          {
            // open all day (but the minute after 23:59, UTC): the round's statements must not depend on the clock
            schedule: {
              days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
              window: { start: '00:00', end: '23:59' },
              timezone: 'UTC',
            },
            maxConcurrentCalls: 2,
          },
          a.token,
        ),
    ],
    ['GET /tenant/dialer', () => c.get('/api/v1/tenant/dialer', a.token)],
    [
      'PUT /tenant/dialer',
      () =>
        c.put('/api/v1/tenant/dialer', { type: 'simulator', callerId: '+14155550100' }, a.token),
    ],
    [
      'POST /leads/:id/call (an admin, outside the window)',
      async () =>
        (ids['callNow'] = bodyOf(
          await c.post(
            `/api/v1/leads/${ids['lead']}/call`,
            { agentId: ids['agent'], overrideWindow: true },
            a.token,
          ),
          202,
        ).id),
    ],
    [
      'POST /campaigns/:id/start',
      () => c.post(`/api/v1/campaigns/${ids['campaign']}/start`, {}, a.token),
    ],
    [
      'worker: a campaign round (its one lead already on the phone)',
      () => t.app.get(CampaignEngine).round({ tenantId: a.tenantId, campaignId: ids['campaign'] }),
    ],
    [
      'worker: placing a call (simulator)',
      () => t.app.get(CallDispatcher).dispatch({ tenantId: a.tenantId, callId: ids['callNow'] }),
    ],
    [
      'worker: a simulated call step (ringing)',
      () =>
        t.app
          .get(CallDispatcher)
          .simulate({ tenantId: a.tenantId, callId: ids['callNow'], step: 1 }),
    ],
    ['GET /campaigns?status', () => c.get('/api/v1/campaigns?status=running', a.token)],
    ['GET /campaigns/:id', () => c.get(`/api/v1/campaigns/${ids['campaign']}`, a.token)],
    [
      'GET /campaigns/:id/leads?state',
      () => c.get(`/api/v1/campaigns/${ids['campaign']}/leads?state=waiting`, a.token),
    ],
    [
      'GET /leads/:id/eligibility?campaignId',
      () =>
        c.get(`/api/v1/leads/${ids['lead']}/eligibility?campaignId=${ids['campaign']}`, a.token),
    ],
    [
      'POST /campaigns/:id/pause',
      () => c.post(`/api/v1/campaigns/${ids['campaign']}/pause`, {}, a.token),
    ],
    [
      'POST /campaigns/:id/resume',
      () => c.post(`/api/v1/campaigns/${ids['campaign']}/resume`, {}, a.token),
    ],
    [
      'POST /campaigns/:id/cancel',
      () => c.post(`/api/v1/campaigns/${ids['campaign']}/cancel`, {}, a.token),
    ],
    [
      'POST /dnc',
      async () =>
        (ids['dnc'] = bodyOf(
          await c.post('/api/v1/dnc', { phone: '+14155550199', reason: 'asked' }, a.token),
          201,
        ).id),
    ],
    ['GET /dnc?q', () => c.get('/api/v1/dnc?q=0199', a.token)],
    [
      'POST /dnc/import',
      () =>
        fetch(`${t.url}/api/v1/dnc/import`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
          body: 'phone,reason\n+14155550198,complaint\n',
        }).then((r) => r.text()),
    ],
    ['DELETE /dnc/:id', () => c.delete(`/api/v1/dnc/${ids['dnc']}`, a.token)],
    ['GET /integrations', () => c.get('/api/v1/integrations', a.token)],
    [
      'PUT /integrations/vapi',
      () => c.put('/api/v1/integrations/vapi', { secret: 'sql-snapshot-secret' }, a.token),
    ],
    [
      'PUT /integrations/retell',
      () => c.put('/api/v1/integrations/retell', { apiKey: 'key_sql_snapshot' }, a.token),
    ],
    [
      'POST /integrations/vapi/events/:tenantId (a new call, its agent and lead)',
      () =>
        c.post(
          `/api/v1/integrations/vapi/events/${a.tenantId}`,
          vapiEndOfCallReport(script),
          undefined,
          {
            authorization: 'Bearer sql-snapshot-secret',
          },
        ),
    ],
    [
      'POST /integrations/vapi/events/:tenantId (the same event again)',
      () =>
        c.post(
          `/api/v1/integrations/vapi/events/${a.tenantId}`,
          vapiEndOfCallReport(script),
          undefined,
          {
            authorization: 'Bearer sql-snapshot-secret',
          },
        ),
    ],
    [
      'POST /integrations/retell/events/:tenantId (a new call)',
      async () => {
        const text = JSON.stringify(retellCallEnded({ ...script, callId: 'retell-sql-1' }));
        return c.call('POST', `/api/v1/integrations/retell/events/${a.tenantId}`, {
          raw: text,
          headers: {
            'content-type': 'application/json',
            'x-retell-signature': await Retell.sign(text, 'key_sql_snapshot'),
          },
        });
      },
    ],
    ['DELETE /leads/:id', () => c.delete(`/api/v1/leads/${ids['lead']}`, a.token)],
    [
      'POST /webhooks',
      async () =>
        (ids['webhook'] = bodyOf(
          await c.post(
            '/api/v1/webhooks',
            { url: rx.url('/sql'), events: ['lead.created'] },
            a.token,
          ),
          201,
        ).id),
    ],
    ['GET /webhooks', () => c.get('/api/v1/webhooks', a.token)],
    [
      'PATCH /webhooks/:id',
      () => c.patch(`/api/v1/webhooks/${ids['webhook']}`, { description: 'CRM' }, a.token),
    ],
    [
      'POST /webhooks/:id/test',
      async () =>
        (ids['delivery'] = bodyOf(
          await c.post(`/api/v1/webhooks/${ids['webhook']}/test`, {}, a.token),
          202,
        ).id),
    ],
    [
      'worker: one delivery attempt',
      () =>
        t.app.get(WebhookDispatcher).attempt({ tenantId: a.tenantId, deliveryId: ids['delivery'] }),
    ],
    [
      'GET /webhooks/:id/deliveries',
      () => c.get(`/api/v1/webhooks/${ids['webhook']}/deliveries?status=succeeded`, a.token),
    ],
    [
      'POST /webhooks/:id/deliveries/:deliveryId/retry',
      () =>
        c.post(
          `/api/v1/webhooks/${ids['webhook']}/deliveries/${ids['delivery']}/retry`,
          {},
          a.token,
        ),
    ],
    [
      'POST /webhooks/:id/rotate-secret',
      () => c.post(`/api/v1/webhooks/${ids['webhook']}/rotate-secret`, {}, a.token),
    ],
    ['worker: the delivery log purge', () => t.app.get(WebhookDispatcher).purge()],
    ['DELETE /webhooks/:id', () => c.delete(`/api/v1/webhooks/${ids['webhook']}`, a.token)],
    ['GET /audit-events', () => c.get('/api/v1/audit-events?resourceType=lead', a.token)],
    ['GET /audit-events/export', () => c.get('/api/v1/audit-events/export', a.token)],
    ['worker: the audit purge', () => t.app.get(AuditPurge).purge()],
    [
      'POST /auth/forgot-password',
      () => c.post('/api/v1/auth/forgot-password', { email: a.email }),
    ],
    [
      'seed: the demo tenant',
      () => t.app.get(SeedService).seedDemo({ agents: 1, leads: 2, calls: 2, days: 1 }),
    ],
  ];

  it.each(steps)('%s', async (name, step) => {
    expect(await sqlOf(step, FLUSH_STEPS.includes(name))).toMatchSnapshot();
  });
});
