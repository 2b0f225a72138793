import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { PasswordService } from '../auth/passwords';
import { PASSWORD, login } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import {
  TestDatabase,
  connectAsOwner,
  createTestDatabase,
  migrateFully,
} from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';

/**
 * Migration 008 replaces the webhookUrl setting (which the console said
 * "receives call events", though nothing was ever sent) with a webhook
 * endpoint subscribed to the call events; the setting goes.
 */
describe('migration 008: the webhookUrl setting becomes a webhook endpoint', () => {
  let db: TestDatabase;
  let owner: Pg;
  let rx: Receiver;
  let t: TestApp;
  let c: Client;
  const [withUrl, without] = [randomUUID(), randomUUID()];
  const ownerId = randomUUID();
  const email = `legacy-${ownerId.slice(0, 8)}@example.com`;

  beforeAll(async () => {
    rx = await startReceiver();
    db = await createTestDatabase({ migrateBefore: '008_' });
    owner = await connectAsOwner(db);
    for (const id of [withUrl, without])
      await owner.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Legacy', $2)`, [
        id,
        `legacy-${id.slice(0, 8)}`,
      ]);
    await owner.query(
      `INSERT INTO tenant_configs (tenant_id, webhook_url) VALUES ($1, $2), ($3, NULL)`,
      [withUrl, rx.url('/legacy'), without],
    );
    await owner.query(
      `INSERT INTO users (id, email, full_name, password_hash, current_tenant_id) VALUES ($1, $2, 'Legacy Owner', $3, $4)`,
      [ownerId, email, await new PasswordService().hash(PASSWORD), withUrl],
    );
    await owner.query(
      `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`,
      [withUrl, ownerId],
    );
    await migrateFully(db);
    t = await startTestApp(db, FAST_WEBHOOKS);
    c = client(t.url);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await owner?.end();
    await db?.drop();
  });

  it('makes one endpoint of a stored URL, subscribed to the call events, with its own secret; the column is gone', async () => {
    const { rows } = await owner.query(
      `SELECT tenant_id, url, events, enabled, secret, description FROM webhook_endpoints
        WHERE tenant_id = ANY($1)`,
      [[withUrl, without]],
    );
    expect(rows).toEqual([
      {
        tenant_id: withUrl,
        url: rx.url('/legacy'),
        events: ['call.created', 'call.updated', 'call.ended'],
        enabled: true,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
        description: 'moved from the webhookUrl setting',
      },
    ]);
    const column = await owner.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'tenant_configs' AND column_name = 'webhook_url'`,
    );
    expect(column.rows).toEqual([]);
  });

  it('sends the call events there, signed with the secret an admin rotates to learn it', async () => {
    const token = await login(c, email, PASSWORD, withUrl);
    const [endpoint] = bodyOf(await c.get('/api/v1/webhooks', token), 200).data;
    const { secret } = bodyOf(
      await c.post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`, {}, token),
      200,
    );
    rx.expect('/legacy', secret);
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Legacy' }, token), 201);
    const call = bodyOf(
      await c.post(
        '/api/v1/calls',
        {
          agentId: agent.id,
          direction: 'inbound',
          fromNumber: '+14155550100',
          toNumber: '+14155550101',
          status: 'completed',
        },
        token,
      ),
      201,
    );
    const got = await rx.waitFor((r) => r.path === '/legacy', 2);
    expect(got.map((r) => r.verified?.type).sort()).toEqual(['call.created', 'call.ended']);
    expect(got.every((r) => r.verified?.data.id === call.id)).toBe(true);
    const config = bodyOf(await c.get('/api/v1/tenant/config', token), 200);
    expect(config).not.toHaveProperty('webhookUrl');
  });
});
