import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

/**
 * Routing with DATABASE_READ_URLS. The "replica" here is a second database
 * holding a deliberately different copy, so each answer shows which server
 * served it. (Streaming replication itself is PostgreSQL's job; the scale
 * runbook starts a real standby.)
 */
describe('read replicas: lists, export and stats read from a replica, the rest from the primary', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let primaryOwner: Pg;
  let replicaOwner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    primaryOwner = await connectAsOwner(primary);
    replicaOwner = await connectAsOwner(replica);
    t = await startTestApp(primary, { DATABASE_READ_URLS: replica.appUrl });
    c = client(t.url);
    a = await signup(c, 'Replicated');
    // copy the identity rows the replica would have received by replication
    for (const table of ['tenants', 'users', 'tenant_configs', 'tenant_users']) {
      const { rows } = await primaryOwner.query(`SELECT row_to_json(x) AS r FROM ${table} x`);
      for (const { r } of rows) {
        await replicaOwner.query(
          `INSERT INTO ${table} SELECT * FROM json_populate_record(NULL::${table}, $1)`,
          [r],
        );
      }
    }
    await replicaOwner.query(
      `INSERT INTO leads (tenant_id, phone, first_name) VALUES ($1, '+14155550900', 'OnReplica')`,
      [a.tenantId],
    );
  });

  afterAll(async () => {
    await t?.close();
    await primaryOwner?.end();
    await replicaOwner?.end();
    await Promise.all([primary?.drop(), replica?.drop()]);
  });

  it('writes to the primary and reads its own write back by id from the primary', async () => {
    const created = await c.post(
      '/api/v1/leads',
      { phone: '+14155550901', firstName: 'OnPrimary' },
      a.token,
    );
    expect(created.status).toBe(201);
    expect((await c.get(`/api/v1/leads/${created.body.id}`, a.token)).status).toBe(200);
    const onPrimary = await primaryOwner.query(
      `SELECT count(*)::int AS n FROM leads WHERE first_name = 'OnPrimary'`,
    );
    const onReplica = await replicaOwner.query(
      `SELECT count(*)::int AS n FROM leads WHERE first_name = 'OnPrimary'`,
    );
    expect([onPrimary.rows[0].n, onReplica.rows[0].n]).toEqual([1, 0]);
  });

  it('serves the list and the export from the replica, under the same RLS', async () => {
    const list = await c.get('/api/v1/leads', a.token);
    expect(list.body.data.map((l: { firstName: string }) => l.firstName)).toEqual(['OnReplica']);
    const csv = await fetch(`${t.url}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${a.token}` },
    }).then((r) => r.text());
    expect(csv).toContain('OnReplica');
    expect(csv).not.toContain('OnPrimary');
  });
});
