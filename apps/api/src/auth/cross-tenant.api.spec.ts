import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Client as Pg } from 'pg';
import { type Role, roleAtLeast } from '@acc/contracts';
import {
  Account,
  PASSWORD,
  addMember,
  createApiKey,
  joinTenant,
  signup,
} from '../testing/accounts';
import { Client, Res, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

/**
 * Cross-tenant isolation over every route of the identity issue, generated
 * from one route table: no token -> 401; another tenant's ids -> 404 exactly
 * like a random id, nothing of theirs touched; a role too low -> 403 and
 * nothing written; tenant ids smuggled in headers, query or body never used.
 */

/** What a request aims at: a tenant, one of its members, one of its agents, an invitation, an API key, a webhook endpoint and a delivery of it. */
interface Target {
  tenantId: string;
  memberId: string;
  agentId: string;
  invitationId: string;
  keyId: string;
  webhookId: string;
  deliveryId: string;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the route as declared, for the test names */
  route: string;
  minRole: Role;
  path(t: Target): string;
  body?(t: Target): Record<string, unknown>;
  /** where ids of a target travel: such routes get the foreign-id test */
  carriesIds?: 'path' | 'body';
  /** answers an invitation: its control needs one of the caller's own */
  invitee?: true;
  /** @PeopleOnly(): an API key gets 403 whatever its role */
  peopleOnly?: true;
}

const configBody = (agentId: string | null) => ({
  timezone: 'Europe/Paris',
  callingWindowStart: '09:00',
  callingWindowEnd: '18:00',
  callingDays: [1, 2, 3, 4, 5],
  defaultAgentId: agentId,
  maxConcurrentCalls: 7,
  recordingEnabled: false,
});

const freshEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

const ROUTES: Route[] = [
  {
    method: 'GET',
    route: '/api/v1/auth/me',
    minRole: 'viewer',
    path: () => '/api/v1/auth/me',
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/tenants',
    minRole: 'viewer',
    path: () => '/api/v1/tenants',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/tenants',
    minRole: 'viewer',
    path: () => '/api/v1/tenants',
    body: () => ({ name: 'Made by the route table' }),
    peopleOnly: true,
  },
  { method: 'GET', route: '/api/v1/tenant', minRole: 'viewer', path: () => '/api/v1/tenant' },
  {
    method: 'PATCH',
    route: '/api/v1/tenant',
    minRole: 'admin',
    path: () => '/api/v1/tenant',
    body: () => ({ name: 'Renamed by the route table' }),
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/switch',
    minRole: 'viewer',
    path: () => '/api/v1/tenant/switch',
    body: (t) => ({ tenantId: t.tenantId }),
    carriesIds: 'body',
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/tenant/config',
    minRole: 'viewer',
    path: () => '/api/v1/tenant/config',
  },
  {
    method: 'PUT',
    route: '/api/v1/tenant/config',
    minRole: 'admin',
    path: () => '/api/v1/tenant/config',
    body: (t) => configBody(t.agentId),
    carriesIds: 'body',
    peopleOnly: true,
  },
  { method: 'GET', route: '/api/v1/users', minRole: 'viewer', path: () => '/api/v1/users' },
  {
    method: 'POST',
    route: '/api/v1/users',
    minRole: 'admin',
    path: () => '/api/v1/users',
    body: () => ({ email: freshEmail('routed'), fullName: 'Routed Person', role: 'viewer' }),
    peopleOnly: true,
  },
  {
    method: 'PATCH',
    route: '/api/v1/users/:id',
    minRole: 'admin',
    path: (t) => `/api/v1/users/${t.memberId}`,
    body: () => ({ role: 'member' }),
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'DELETE',
    route: '/api/v1/users/:id',
    minRole: 'admin',
    path: (t) => `/api/v1/users/${t.memberId}`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/users/:id/invitation/resend',
    minRole: 'admin',
    path: (t) => `/api/v1/users/${t.memberId}/invitation/resend`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/users/:id/invitation/link',
    minRole: 'admin',
    path: (t) => `/api/v1/users/${t.memberId}/invitation/link`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'DELETE',
    route: '/api/v1/users/:id/invitation',
    minRole: 'admin',
    path: (t) => `/api/v1/users/${t.memberId}/invitation`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/invitations',
    minRole: 'viewer',
    path: () => '/api/v1/invitations',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/invitations/:id/accept',
    minRole: 'viewer',
    path: (t) => `/api/v1/invitations/${t.invitationId}/accept`,
    carriesIds: 'path',
    invitee: true,
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/invitations/:id/decline',
    minRole: 'viewer',
    path: (t) => `/api/v1/invitations/${t.invitationId}/decline`,
    carriesIds: 'path',
    invitee: true,
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/api-keys',
    minRole: 'admin',
    path: () => '/api/v1/api-keys',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/api-keys',
    minRole: 'admin',
    path: () => '/api/v1/api-keys',
    body: () => ({ name: 'Routed key', role: 'viewer' }),
    peopleOnly: true,
  },
  {
    method: 'DELETE',
    route: '/api/v1/api-keys/:id',
    minRole: 'admin',
    path: (t) => `/api/v1/api-keys/${t.keyId}`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/integrations',
    minRole: 'admin',
    path: () => '/api/v1/integrations',
    peopleOnly: true,
  },
  {
    method: 'PUT',
    route: '/api/v1/integrations/vapi',
    minRole: 'admin',
    path: () => '/api/v1/integrations/vapi',
    body: () => ({ secret: `routed-${randomBytes(4).toString('hex')}` }),
    peopleOnly: true,
  },
  {
    method: 'PUT',
    route: '/api/v1/integrations/retell',
    minRole: 'admin',
    path: () => '/api/v1/integrations/retell',
    body: () => ({ apiKey: `key_routed_${randomBytes(4).toString('hex')}` }),
    peopleOnly: true,
  },
  {
    method: 'GET',
    route: '/api/v1/webhooks',
    minRole: 'admin',
    path: () => '/api/v1/webhooks',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/webhooks',
    minRole: 'admin',
    path: () => '/api/v1/webhooks',
    body: () => ({ url: 'https://hooks.example.com/routed', events: ['lead.created'] }),
    peopleOnly: true,
  },
  ...(['GET', 'PATCH', 'DELETE'] as const).map((method): Route => ({
    method,
    route: '/api/v1/webhooks/:id',
    minRole: 'admin',
    path: (t) => `/api/v1/webhooks/${t.webhookId}`,
    body: method === 'PATCH' ? () => ({ description: 'changed by the route table' }) : undefined,
    carriesIds: 'path',
    peopleOnly: true,
  })),
  ...(['rotate-secret', 'test'] as const).map((action): Route => ({
    method: 'POST',
    route: `/api/v1/webhooks/:id/${action}`,
    minRole: 'admin',
    path: (t) => `/api/v1/webhooks/${t.webhookId}/${action}`,
    carriesIds: 'path',
    peopleOnly: true,
  })),
  {
    method: 'GET',
    route: '/api/v1/webhooks/:id/deliveries',
    minRole: 'admin',
    path: (t) => `/api/v1/webhooks/${t.webhookId}/deliveries`,
    carriesIds: 'path',
    peopleOnly: true,
  },
  {
    method: 'POST',
    route: '/api/v1/webhooks/:id/deliveries/:deliveryId/retry',
    minRole: 'admin',
    path: (t) => `/api/v1/webhooks/${t.webhookId}/deliveries/${t.deliveryId}/retry`,
    carriesIds: 'path',
    peopleOnly: true,
  },
];

const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

describe('cross-tenant isolation and roles over every identity route (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  /** a: owner of A; v, m, ad: viewer, member, admin of A; b: owner of B; x: member of both */
  let a: Account;
  let v: Account;
  let m: Account;
  let ad: Account;
  let b: Account;
  let x: Account;
  let xInB: string;
  let agentA: string;
  let agentB: string;
  let byRole: Record<Role, Account>;

  const send = (
    r: Route,
    target: Target,
    token?: string,
    extra: {
      headers?: Record<string, string>;
      query?: string;
      body?: Record<string, unknown>;
    } = {},
  ) =>
    c.call(r.method, r.path(target) + (extra.query ?? ''), {
      token,
      headers: extra.headers,
      body: r.body || extra.body ? { ...r.body?.(target), ...extra.body } : undefined,
    });

  /** Everything a tenant owns in the identity and webhook tables, as the owner connection sees it. */
  const tenantState = async (tenantId: string) => {
    const [tenant, config, members, invites, keys, integrations, webhooks, deliveries] =
      await Promise.all([
        owner.query('SELECT * FROM tenants WHERE id = $1', [tenantId]),
        owner.query('SELECT * FROM tenant_configs WHERE tenant_id = $1', [tenantId]),
        owner.query(
          `SELECT tu.*, u.email, u.token_version, u.current_tenant_id, u.password_hash
           FROM tenant_users tu JOIN users u ON u.id = tu.user_id
          WHERE tu.tenant_id = $1 ORDER BY tu.user_id`,
          [tenantId],
        ),
        owner.query('SELECT * FROM invitations WHERE tenant_id = $1 ORDER BY id', [tenantId]),
        // last_used_at is written by a 10 s timer (the key of the API-key tests), not by a request
        owner.query(
          `SELECT tenant_id, id, name, prefix, key_hash, role, created_by, expires_at, created_at
           FROM api_keys WHERE tenant_id = $1 ORDER BY id`,
          [tenantId],
        ),
        owner.query('SELECT * FROM integrations WHERE tenant_id = $1 ORDER BY provider', [
          tenantId,
        ]),
        owner.query('SELECT * FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY id', [tenantId]),
        owner.query('SELECT * FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY id', [
          tenantId,
        ]),
      ]);
    return JSON.stringify({
      tenant: tenant.rows,
      config: config.rows,
      members: members.rows,
      invites: invites.rows,
      keys: keys.rows,
      integrations: integrations.rows,
      webhooks: webhooks.rows,
      deliveries: deliveries.rows,
    });
  };

  /** A throwaway invited member of the owner's tenant, for requests that change or remove one. */
  const disposableMember = async (of: Account): Promise<string> => {
    const res = await c.post(
      '/api/v1/users',
      { email: freshEmail('disposable'), fullName: 'Disposable', role: 'viewer' },
      of.token,
    );
    if (res.status !== 201)
      throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };

  /** The pending invitation of the newest invited member of a tenant. */
  const newestInvitation = async (tenantId: string): Promise<string> =>
    (
      await owner.query(
        'SELECT id FROM invitations WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 1',
        [tenantId],
      )
    ).rows[0].id;

  /** A pending invitation of `invitee` from a tenant of its own (joining it changes no other). */
  const invitationFor = async (invitee: Account): Promise<string> => {
    const host = await signup(c, 'Host');
    const sent = await c.post(
      '/api/v1/users',
      { email: invitee.email, fullName: 'Invitee', role: 'viewer' },
      host.token,
    );
    if (sent.status !== 201) throw new Error(`invite failed: ${JSON.stringify(sent.body)}`);
    return newestInvitation(host.tenantId);
  };

  /** A throwaway webhook endpoint of the owner's tenant, and the delivery of a test ping to it. */
  const disposableWebhook = async (of: Account) => {
    const w = await c.post(
      '/api/v1/webhooks',
      { url: 'https://hooks.example.com/disposable', events: ['call.ended'] },
      of.token,
    );
    if (w.status !== 201) throw new Error(`webhook failed: ${w.status} ${JSON.stringify(w.body)}`);
    const ping = await c.post(`/api/v1/webhooks/${w.body.id}/test`, {}, of.token);
    if (ping.status !== 202) throw new Error(`ping failed: ${JSON.stringify(ping.body)}`);
    return { webhookId: w.body.id as string, deliveryId: ping.body.id as string };
  };

  /**
   * A target in `who`'s tenant: a throwaway invited member, and an invitation
   * of `invitee` when given, else one of that member (not the caller's); a
   * throwaway API key; a throwaway webhook endpoint with a delivery.
   */
  const targetIn = async (who: Account, agentId: string, invitee?: Account): Promise<Target> => {
    const memberId = await disposableMember(who);
    return {
      tenantId: who.tenantId,
      memberId,
      agentId,
      invitationId: invitee ? await invitationFor(invitee) : await newestInvitation(who.tenantId),
      keyId: (await createApiKey(c, who, 'viewer', { name: 'Disposable key' })).id,
      ...(await disposableWebhook(who)),
    };
  };

  const randomTarget = (): Target => ({
    tenantId: randomUUID(),
    memberId: randomUUID(),
    agentId: randomUUID(),
    invitationId: randomUUID(),
    keyId: randomUUID(),
    webhookId: randomUUID(),
    deliveryId: randomUUID(),
  });

  const insertAgent = async (tenantId: string, name: string): Promise<string> => {
    const { rows } = await owner.query(
      `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model)
       VALUES ($1, $2, 'alloy', 'openai', 'gpt-4o-mini') RETURNING id`,
      [tenantId, name],
    );
    return rows[0].id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    // no worker: the test pings' deliveries stay as written, so "nothing written" means it
    t = await startTestApp(db, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      WORKER_IN_API: 'false',
    });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'A'), signup(c, 'B')]);
    [v, m, ad, x] = await Promise.all([
      addMember(c, smtp, a, 'viewer'),
      addMember(c, smtp, a, 'member'),
      addMember(c, smtp, a, 'admin'),
      addMember(c, smtp, a, 'member', 'x'),
    ]);
    xInB = await joinTenant(c, b, x, 'member');
    [agentA, agentB] = await Promise.all([
      insertAgent(a.tenantId, 'Agent of A'),
      insertAgent(b.tenantId, 'Agent of B'),
    ]);
    byRole = { viewer: v, member: m, admin: ad, owner: a };
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  const name = (r: Route) => `${r.method} ${r.route}`;

  describe('no token', () => {
    it.each(ROUTES.map((r) => [name(r), r] as const))(
      '%s -> 401, nothing written',
      async (_n, r) => {
        const target = await targetIn(a, agentA);
        const before = await tenantState(a.tenantId);
        const res = await send(r, target);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
        expect(await tenantState(a.tenantId)).toBe(before);
      },
    );
  });

  describe('the lowest allowed role succeeds (control for the refusals below)', () => {
    it.each(ROUTES.map((r) => [name(r), r.minRole, r] as const))(
      '%s as %s -> 2xx',
      async (_n, role, r) => {
        const caller = byRole[role];
        const res = await send(r, await targetIn(a, agentA, r.invitee && caller), caller.token);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(300);
      },
    );
  });

  describe("a role below the route's minimum", () => {
    const cases = ROUTES.flatMap((r) =>
      ROLES.filter((role) => !roleAtLeast(role, r.minRole)).map(
        (role) => [name(r), role, r] as const,
      ),
    );

    it('covers every write of the table', () => {
      expect(cases.map(([n, role]) => `${n} ${role}`)).toEqual([
        'PATCH /api/v1/tenant viewer',
        'PATCH /api/v1/tenant member',
        'PUT /api/v1/tenant/config viewer',
        'PUT /api/v1/tenant/config member',
        'POST /api/v1/users viewer',
        'POST /api/v1/users member',
        'PATCH /api/v1/users/:id viewer',
        'PATCH /api/v1/users/:id member',
        'DELETE /api/v1/users/:id viewer',
        'DELETE /api/v1/users/:id member',
        'POST /api/v1/users/:id/invitation/resend viewer',
        'POST /api/v1/users/:id/invitation/resend member',
        'POST /api/v1/users/:id/invitation/link viewer',
        'POST /api/v1/users/:id/invitation/link member',
        'DELETE /api/v1/users/:id/invitation viewer',
        'DELETE /api/v1/users/:id/invitation member',
        'GET /api/v1/api-keys viewer',
        'GET /api/v1/api-keys member',
        'POST /api/v1/api-keys viewer',
        'POST /api/v1/api-keys member',
        'DELETE /api/v1/api-keys/:id viewer',
        'DELETE /api/v1/api-keys/:id member',
        'GET /api/v1/integrations viewer',
        'GET /api/v1/integrations member',
        'PUT /api/v1/integrations/vapi viewer',
        'PUT /api/v1/integrations/vapi member',
        'PUT /api/v1/integrations/retell viewer',
        'PUT /api/v1/integrations/retell member',
        ...[
          'GET /api/v1/webhooks',
          'POST /api/v1/webhooks',
          'GET /api/v1/webhooks/:id',
          'PATCH /api/v1/webhooks/:id',
          'DELETE /api/v1/webhooks/:id',
          'POST /api/v1/webhooks/:id/rotate-secret',
          'POST /api/v1/webhooks/:id/test',
          'GET /api/v1/webhooks/:id/deliveries',
          'POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry',
        ].flatMap((r) => [`${r} viewer`, `${r} member`]),
      ]);
    });

    it.each(cases)('%s as %s -> 403, nothing written', async (_n, role, r) => {
      const target = await targetIn(a, agentA);
      const before = await tenantState(a.tenantId);
      const res = await send(r, target, byRole[role].token);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await tenantState(a.tenantId)).toBe(before);
    });

    // The role is the membership's, read in the tenant transaction: a token
    // correctly signed but claiming a higher role (or one issued before a
    // demotion) gives no more than the membership allows.
    it.each(cases)(
      '%s as %s with a validly signed token claiming owner -> 403, nothing written',
      async (_n, role, r) => {
        const { iat: _iat, ...claims } = jwt.decode(byRole[role].token) as Record<string, unknown>;
        const forged = jwt.sign({ ...claims, role: 'owner' }, TEST_JWT_SECRET, {
          algorithm: 'HS256',
        });
        const target = await targetIn(a, agentA);
        const before = await tenantState(a.tenantId);
        const res = await send(r, target, forged);
        expect(res.status).toBe(403);
        expect(await tenantState(a.tenantId)).toBe(before);
      },
    );
  });

  describe("another tenant's ids in path or body", () => {
    const foreign = ROUTES.filter((r) => r.carriesIds);

    it('covers every route that takes an id', () => {
      expect(foreign.map(name)).toEqual([
        'POST /api/v1/tenant/switch',
        'PUT /api/v1/tenant/config',
        'PATCH /api/v1/users/:id',
        'DELETE /api/v1/users/:id',
        'POST /api/v1/users/:id/invitation/resend',
        'POST /api/v1/users/:id/invitation/link',
        'DELETE /api/v1/users/:id/invitation',
        'POST /api/v1/invitations/:id/accept',
        'POST /api/v1/invitations/:id/decline',
        'DELETE /api/v1/api-keys/:id',
        'GET /api/v1/webhooks/:id',
        'PATCH /api/v1/webhooks/:id',
        'DELETE /api/v1/webhooks/:id',
        'POST /api/v1/webhooks/:id/rotate-secret',
        'POST /api/v1/webhooks/:id/test',
        'GET /api/v1/webhooks/:id/deliveries',
        'POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry',
      ]);
    });

    const cases = foreign.flatMap((r) => [
      [name(r), 'a (owner of A)', "B's", r] as const,
      [name(r), 'b (owner of B)', "A's", r] as const,
    ]);

    it.each(cases)(
      '%s by %s with %s ids -> 404, the same answer as a random id, nothing touched',
      async (_n, who, _whose, r) => {
        const [caller, victim, victimAgent] = who.startsWith('a') ? [a, b, agentB] : [b, a, agentA];
        const foreignTarget: Target = {
          ...(await targetIn(victim, victimAgent)),
          memberId: victim.userId,
        };
        const [victimBefore, callerBefore] = [
          await tenantState(victim.tenantId),
          await tenantState(caller.tenantId),
        ];

        const theirs = await send(r, foreignTarget, caller.token);
        const random = await send(r, randomTarget(), caller.token);

        expect(theirs.status).toBe(404);
        expect(random.status).toBe(404);
        expect(withoutRequestId(theirs.body)).toEqual(withoutRequestId(random.body));
        expect(theirs.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
        expect(await tenantState(victim.tenantId)).toBe(victimBefore);
        expect(await tenantState(caller.tenantId)).toBe(callerBefore);
      },
    );

    it.each(['accept', 'decline'])(
      "%s of another user's invitation of a's own tenant (a sees it as admin) -> 404 like a random id",
      async (action) => {
        const { invitationId } = await targetIn(a, agentA);
        const before = await tenantState(a.tenantId);
        const theirs = await c.post(`/api/v1/invitations/${invitationId}/${action}`, {}, a.token);
        const random = await c.post(`/api/v1/invitations/${randomUUID()}/${action}`, {}, a.token);
        expect([theirs.status, random.status]).toEqual([404, 404]);
        expect(withoutRequestId(theirs.body)).toEqual(withoutRequestId(random.body));
        expect(await tenantState(a.tenantId)).toBe(before);
      },
    );

    it("a's own webhook with B's delivery id -> 404 like a random id, nothing touched", async () => {
      const mine = await targetIn(a, agentA);
      const theirs = await targetIn(b, agentB);
      const [aBefore, bBefore] = [await tenantState(a.tenantId), await tenantState(b.tenantId)];
      const retry = (deliveryId: string) =>
        c.post(`/api/v1/webhooks/${mine.webhookId}/deliveries/${deliveryId}/retry`, {}, a.token);
      const [foreign, random] = [await retry(theirs.deliveryId), await retry(randomUUID())];
      expect([foreign.status, random.status]).toEqual([404, 404]);
      expect(withoutRequestId(foreign.body)).toEqual(withoutRequestId(random.body));
      expect(await tenantState(a.tenantId)).toBe(aBefore);
      expect(await tenantState(b.tenantId)).toBe(bBefore);
    });

    it("a's own agent as defaultAgentId is accepted (control: the 404 is about the tenant)", async () => {
      const res = await c.put('/api/v1/tenant/config', configBody(agentA), a.token);
      expect(res.status).toBe(200);
      expect(res.body.defaultAgentId).toBe(agentA);
    });
  });

  describe('tenant ids from the client are never used', () => {
    // reads of one resource by id answer 404 for the random ids these send
    const reads = ROUTES.filter((r) => r.method === 'GET' && !r.carriesIds);

    it.each(reads.map((r) => [name(r), r] as const))(
      "%s with X-Tenant-ID naming B answers A's data unchanged",
      async (_n, r) => {
        const target = randomTarget();
        const plain = await send(r, target, a.token);
        const smuggled = await send(r, target, a.token, { headers: { 'X-Tenant-ID': b.tenantId } });
        expect(plain.status).toBe(200);
        expect(smuggled.status).toBe(200);
        expect(smuggled.body).toEqual(plain.body);
        expect(JSON.stringify(smuggled.body)).not.toContain(b.tenantId);
      },
    );

    it('a write with X-Tenant-ID naming B changes A, never B', async () => {
      const before = await tenantState(b.tenantId);
      const res = await c.call('PATCH', '/api/v1/tenant', {
        token: a.token,
        headers: { 'X-Tenant-ID': b.tenantId },
        body: { name: 'A renamed with a header' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: a.tenantId, name: 'A renamed with a header' });
      expect(await tenantState(b.tenantId)).toBe(before);
    });

    // Routes with a query schema reject the unknown parameter; the others have no query input at all.
    const queryCases = reads.map(
      (r) =>
        [
          name(r),
          [
            '/api/v1/users',
            '/api/v1/tenants',
            '/api/v1/invitations',
            '/api/v1/api-keys',
            '/api/v1/webhooks',
          ].includes(r.route)
            ? 400
            : 200,
          r,
        ] as const,
    );

    it.each(queryCases)("%s?tenantId=<B> -> %s, never B's data", async (_n, expected, r) => {
      const res = await send(r, randomTarget(), a.token, { query: `?tenantId=${b.tenantId}` });
      expect(res.status).toBe(expected);
      if (expected === 400)
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body)).not.toContain(b.tenantId);
    });

    const bodyRoutes = ROUTES.filter((r) => r.body && r.route !== '/api/v1/tenant/switch');

    it.each(bodyRoutes.map((r) => [name(r), r] as const))(
      '%s with a body tenantId naming B -> 400, nothing written',
      async (_n, r) => {
        const target = await targetIn(a, agentA);
        const [aBefore, bBefore] = [await tenantState(a.tenantId), await tenantState(b.tenantId)];
        const res = await send(r, target, a.token, { body: { tenantId: b.tenantId } });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(await tenantState(a.tenantId)).toBe(aBefore);
        expect(await tenantState(b.tenantId)).toBe(bBefore);
      },
    );
  });

  describe('an API key of A (admin, the highest role a key gets)', () => {
    let key: string;
    beforeAll(async () => {
      key = (await createApiKey(c, a, 'admin')).key;
    });
    const people = ROUTES.filter((r) => r.peopleOnly);
    const open = ROUTES.filter((r) => !r.peopleOnly);

    it('may call only the reads of the table', () => {
      expect(open.map(name)).toEqual([
        'GET /api/v1/tenant',
        'GET /api/v1/tenant/config',
        'GET /api/v1/users',
      ]);
    });

    it.each(people.map((r) => [name(r), r] as const))(
      "%s -> 403 with A's and with B's ids, nothing written in either",
      async (_n, r) => {
        const [own, theirs] = [await targetIn(a, agentA), await targetIn(b, agentB)];
        const [aBefore, bBefore] = [await tenantState(a.tenantId), await tenantState(b.tenantId)];
        for (const target of [own, theirs]) {
          const res = await send(r, target, key);
          expect(res.status).toBe(403);
          expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
        }
        expect(await tenantState(a.tenantId)).toBe(aBefore);
        expect(await tenantState(b.tenantId)).toBe(bBefore);
      },
    );

    it.each(open.map((r) => [name(r), r] as const))(
      "%s -> 200, A's data as A's owner sees it, whatever tenant a header names",
      async (_n, r) => {
        const target = randomTarget();
        const asKey = await send(r, target, key, { headers: { 'X-Tenant-ID': b.tenantId } });
        const asOwner = await send(r, target, a.token);
        expect(asKey.status).toBe(200);
        expect(asKey.body).toEqual(asOwner.body);
        expect(JSON.stringify(asKey.body)).not.toContain(b.tenantId);
      },
    );
  });

  describe('member rules', () => {
    const roleOf = async (tenantId: string, userId: string) =>
      (
        await owner.query(
          'SELECT role, status FROM tenant_users WHERE tenant_id = $1 AND user_id = $2',
          [tenantId, userId],
        )
      ).rows[0];

    it('a member cannot change its own role (403)', async () => {
      const res = await c.patch(`/api/v1/users/${m.userId}`, { role: 'admin' }, m.token);
      expect(res.status).toBe(403);
      expect(await roleOf(a.tenantId, m.userId)).toEqual({ role: 'member', status: 'active' });
    });

    it('an admin cannot raise itself to owner (403)', async () => {
      const res = await c.patch(`/api/v1/users/${ad.userId}`, { role: 'owner' }, ad.token);
      expect(res.status).toBe(403);
      expect(await roleOf(a.tenantId, ad.userId)).toEqual({ role: 'admin', status: 'active' });
    });

    it('an admin cannot invite an owner (403, nobody created)', async () => {
      const email = freshEmail('would-be-owner');
      const res = await c.post(
        '/api/v1/users',
        { email, fullName: 'Would Be', role: 'owner' },
        ad.token,
      );
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect((await owner.query('SELECT 1 FROM users WHERE email = $1', [email])).rowCount).toBe(0);
    });

    it('an admin may invite an admin (control)', async () => {
      const res = await c.post(
        '/api/v1/users',
        { email: freshEmail('peer'), fullName: 'Peer', role: 'admin' },
        ad.token,
      );
      expect(res.status).toBe(201);
    });

    it.each([
      ['demote', () => c.patch(`/api/v1/users/${a.userId}`, { role: 'member' }, ad.token)],
      ['disable', () => c.patch(`/api/v1/users/${a.userId}`, { status: 'disabled' }, ad.token)],
      ['remove', () => c.delete(`/api/v1/users/${a.userId}`, ad.token)],
    ])('an admin cannot %s an owner (403)', async (_what, call) => {
      const res: Res = await call();
      expect(res.status).toBe(403);
      expect(await roleOf(a.tenantId, a.userId)).toEqual({ role: 'owner', status: 'active' });
    });

    it.each([
      ['be demoted', () => c.patch(`/api/v1/users/${a.userId}`, { role: 'admin' }, a.token)],
      ['be disabled', () => c.patch(`/api/v1/users/${a.userId}`, { status: 'disabled' }, a.token)],
      ['leave', () => c.delete(`/api/v1/users/${a.userId}`, a.token)],
    ])('the last owner cannot %s (409)', async (_what, call) => {
      const res: Res = await call();
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(await roleOf(a.tenantId, a.userId)).toEqual({ role: 'owner', status: 'active' });
    });

    it('with a second owner, an owner can step down and leave (control)', async () => {
      const o1 = await signup(c, 'Duo');
      const o2 = await addMember(c, smtp, o1, 'owner', 'second-owner');
      expect(
        (await c.patch(`/api/v1/users/${o1.userId}`, { role: 'admin' }, o1.token)).status,
      ).toBe(200);
      expect((await c.delete(`/api/v1/users/${o1.userId}`, o2.token)).status).toBe(204);
      expect((await c.delete(`/api/v1/users/${o2.userId}`, o2.token)).status).toBe(409);
    });
  });

  describe('x, a member of both tenants', () => {
    const ids = (list: Array<{ tenant: { id: string } }>) => list.map((e) => e.tenant.id).sort();
    const emails = (res: Res) => res.body.data.map((u: { email: string }) => u.email);
    /** Every member of the token's tenant, page after page (the route tables invite hundreds). */
    const allMembers = async (token: string): Promise<Res> => {
      const data: unknown[] = [];
      let res: Res;
      let cursor = '';
      do {
        res = await c.get(`/api/v1/users?limit=200${cursor && `&cursor=${cursor}`}`, token);
        data.push(...res.body.data);
        cursor = res.body.nextCursor ?? '';
      } while (cursor);
      return { ...res, body: { data, nextCursor: null } };
    };

    it('GET /tenants lists both tenants with the role in each, and nothing else', async () => {
      for (const token of [x.token, xInB]) {
        const res = await c.get('/api/v1/tenants', token);
        expect(res.status).toBe(200);
        expect(ids(res.body.data)).toEqual([a.tenantId, b.tenantId].sort());
        expect(res.body.data.map((e: { role: string }) => e.role)).toEqual(['member', 'member']);
      }
    });

    it("each token sees only its own tenant's data", async () => {
      const [tA, tB, uA, uB, cfgA, cfgB, meA, meB] = await Promise.all([
        c.get('/api/v1/tenant', x.token),
        c.get('/api/v1/tenant', xInB),
        allMembers(x.token),
        allMembers(xInB),
        c.get('/api/v1/tenant/config', x.token),
        c.get('/api/v1/tenant/config', xInB),
        c.get('/api/v1/auth/me', x.token),
        c.get('/api/v1/auth/me', xInB),
      ]);
      expect(tA.body.id).toBe(a.tenantId);
      expect(tB.body.id).toBe(b.tenantId);
      expect(emails(uA)).toEqual(expect.arrayContaining([a.email, v.email, x.email]));
      expect(emails(uA)).not.toContain(b.email);
      // B's own invitations (the foreign-id tests make some) are B's; its active members are these
      const activeInB = uB.body.data.filter((u: { status: string }) => u.status === 'active');
      expect(activeInB.map((u: { email: string }) => u.email).sort()).toEqual(
        [b.email, x.email].sort(),
      );
      expect(emails(uB)).not.toContain(a.email);
      expect(cfgA.body).toEqual((await c.get('/api/v1/tenant/config', a.token)).body);
      expect(cfgB.body).toEqual((await c.get('/api/v1/tenant/config', b.token)).body);
      expect(cfgA.body).not.toEqual(cfgB.body);
      expect([meA.body.tenantId, meB.body.tenantId]).toEqual([a.tenantId, b.tenantId]);
    });

    it('switching gives a token for the other tenant, and back', async () => {
      const toB = await c.post('/api/v1/tenant/switch', { tenantId: b.tenantId }, x.token);
      expect(toB.status).toBe(200);
      expect(toB.body).toMatchObject({ tenant: { id: b.tenantId }, role: 'member' });
      expect((await c.get('/api/v1/tenant', toB.body.token)).body.id).toBe(b.tenantId);
      const current = await owner.query('SELECT current_tenant_id FROM users WHERE id = $1', [
        x.userId,
      ]);
      expect(current.rows[0].current_tenant_id).toBe(b.tenantId);

      const back = await c.post('/api/v1/tenant/switch', { tenantId: a.tenantId }, toB.body.token);
      expect(back.status).toBe(200);
      expect(emails(await allMembers(back.body.token))).toContain(a.email);
    });

    it("removal from A kills x's A token on the very next request; the B token keeps working", async () => {
      expect((await c.get('/api/v1/auth/me', x.token)).status).toBe(200);
      expect((await c.delete(`/api/v1/users/${x.userId}`, a.token)).status).toBe(204);

      const dead = await c.get('/api/v1/auth/me', x.token);
      expect(dead.status).toBe(401);
      expect(dead.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await c.get('/api/v1/users', x.token)).status).toBe(401);

      expect((await c.get('/api/v1/tenant', xInB)).body.id).toBe(b.tenantId);
      const left = await c.get('/api/v1/tenants', xInB);
      expect(ids(left.body.data)).toEqual([b.tenantId]);
      expect((await c.post('/api/v1/tenant/switch', { tenantId: a.tenantId }, xInB)).status).toBe(
        404,
      );
      expect(
        (
          await c.post('/api/v1/auth/login', {
            email: x.email,
            password: PASSWORD,
            tenantId: a.tenantId,
          })
        ).status,
      ).toBe(401);
    });
  });

  it('disabling a member refuses its token on the very next request; re-enabling restores it', async () => {
    const d = await addMember(c, smtp, a, 'member', 'to-disable');
    expect((await c.get('/api/v1/tenant', d.token)).status).toBe(200);
    const off = await c.patch(`/api/v1/users/${d.userId}`, { status: 'disabled' }, a.token);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: d.userId, status: 'disabled' });
    expect((await c.get('/api/v1/tenant', d.token)).status).toBe(401);
    expect(
      (await c.post('/api/v1/auth/login', { email: d.email, password: PASSWORD })).status,
    ).toBe(401);

    expect((await c.patch(`/api/v1/users/${d.userId}`, { status: 'active' }, a.token)).status).toBe(
      200,
    );
    expect((await c.get('/api/v1/tenant', d.token)).status).toBe(200);
  });
});
