import { randomBytes, randomUUID } from 'node:crypto';
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
      // plain as 008 wrote it, or sealed since by the job of 018
      `SELECT tenant_id, url, events, enabled, description,
              coalesce(secret ~ '^whsec_[A-Za-z0-9+/]{43}=$', secret_box IS NOT NULL) AS secret
         FROM webhook_endpoints WHERE tenant_id = ANY($1)`,
      [[withUrl, without]],
    );
    expect(rows).toEqual([
      {
        tenant_id: withUrl,
        url: rx.url('/legacy'),
        events: ['call.created', 'call.updated', 'call.ended'],
        enabled: true,
        secret: true,
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

/**
 * Migration 018 seals the signing secrets: a row written plain before it is
 * sealed by the job it enqueues (the key is the app's, not in SQL), and its
 * deliveries are signed with the same secret as before.
 */
describe('migration 018: a plain signing secret is sealed, and still signs', () => {
  let db: TestDatabase;
  let owner: Pg;
  let rx: Receiver;
  let t: TestApp;
  let c: Client;
  const tenantId = randomUUID();
  const ownerId = randomUUID();
  const email = `plain-${ownerId.slice(0, 8)}@example.com`;
  const endpointIds = [randomUUID(), randomUUID()];
  const plain = `whsec_${randomBytes(32).toString('base64')}`;

  const rows = async () =>
    (
      await owner.query(
        `SELECT id, w::text AS whole, secret, secret_box FROM webhook_endpoints w
          WHERE tenant_id = $1 ORDER BY id`,
        [tenantId],
      )
    ).rows;

  beforeAll(async () => {
    rx = await startReceiver();
    db = await createTestDatabase({ migrateBefore: '018_' });
    owner = await connectAsOwner(db);
    await owner.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Plain', $2)`, [
      tenantId,
      `plain-${tenantId.slice(0, 8)}`,
    ]);
    await owner.query(
      `INSERT INTO users (id, email, full_name, password_hash, current_tenant_id) VALUES ($1, $2, 'Plain Owner', $3, $4)`,
      [ownerId, email, await new PasswordService().hash(PASSWORD), tenantId],
    );
    await owner.query(
      `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`,
      [tenantId, ownerId],
    );
    for (const [i, id] of endpointIds.entries())
      await owner.query(
        `INSERT INTO webhook_endpoints (tenant_id, id, url, events, secret)
         VALUES ($1, $2, $3, '{call.created}', $4)`,
        [tenantId, id, rx.url(`/plain${i}`), i === 0 ? plain : `${plain.slice(0, -2)}A=`],
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

  it('seals every plain secret (the job of 018): no plaintext remains in the rows', async () => {
    const deadline = Date.now() + 20_000;
    while ((await rows()).some((r) => r.secret !== null) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const after = await rows();
    expect(after.map((r) => [r.secret, Buffer.isBuffer(r.secret_box)])).toEqual([
      [null, true],
      [null, true],
    ]);
    for (const r of after) {
      expect(r.whole).not.toContain(plain.slice('whsec_'.length, -2));
      expect((r.secret_box as Buffer).includes(Buffer.from(plain.slice(0, -2)))).toBe(false);
    }
  });

  it('signs the deliveries with the same secret as before', async () => {
    rx.expect('/plain0', plain);
    rx.expect('/plain1', `${plain.slice(0, -2)}A=`);
    const token = await login(c, email, PASSWORD, tenantId);
    const agent = bodyOf(await c.post('/api/v1/agents', { name: 'Plain' }, token), 201);
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
    const got = await rx.waitFor((r) => r.path.startsWith('/plain'), 2);
    expect(got.map((r) => [r.path, r.verified?.type, r.verified?.data.id]).sort()).toEqual([
      ['/plain0', 'call.created', call.id],
      ['/plain1', 'call.created', call.id],
    ]);
  });

  it('refuses a plain secret written since', async () => {
    await expect(
      owner.query(
        `INSERT INTO webhook_endpoints (tenant_id, url, events, secret)
         VALUES ($1, 'https://example.com/x', '{call.created}', 'whsec_new')`,
        [tenantId],
      ),
    ).rejects.toThrow(/no longer written/);
    await expect(
      owner.query(`UPDATE webhook_endpoints SET secret = 'whsec_new' WHERE tenant_id = $1`, [
        tenantId,
      ]),
    ).rejects.toThrow(/no longer written/);
  });
});
