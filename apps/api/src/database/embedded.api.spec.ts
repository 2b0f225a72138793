import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Account, PASSWORD, createApiKey, login, signup } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { TestApp, startEmbeddedTestApp } from '../testing/test-app';
import { Db } from '../tenancy/db.service';
import { DatabaseService } from './database.service';
import { startEmbeddedDatabase } from './embedded';

const TENANT_TABLES = ['tenants', 'tenant_configs', 'tenant_users', 'agents', 'leads', 'calls'];

/**
 * No DATABASE_URL: the API starts PGlite under DATA_DIR, migrates it, and
 * still confines every tenant transaction with row-level security (its one
 * superuser session switches to the API role per transaction).
 */
describe('embedded database (PGlite, no DATABASE_URL)', () => {
  const dataDir = join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'tmp',
    `embedded-spec-${randomBytes(6).toString('hex')}`,
  );
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let db: Db;

  beforeAll(async () => {
    // PGlite loads its extensions with import(), which jest only allows with this flag (set by `nx test api`)
    const flags = `${process.env['NODE_OPTIONS'] ?? ''} ${process.execArgv.join(' ')}`;
    if (!flags.includes('--experimental-vm-modules')) {
      throw new Error('run with NODE_OPTIONS=--experimental-vm-modules (as `nx test api` does)');
    }
    t = await startEmbeddedTestApp(dataDir);
    c = client(t.url);
    db = t.app.get(Db);
    [a, b] = await Promise.all([signup(c, 'EmbeddedA'), signup(c, 'EmbeddedB')]);
    // an agent in each tenant, written by the owner session (no RLS), for the row-level checks
    const pool = t.app.get(DatabaseService).pool;
    for (const who of [a, b]) {
      await pool.query(
        `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model) VALUES ($1, 'Agent', 'alloy', 'openai', 'gpt-4o-mini')`,
        [who.tenantId],
      );
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports itself healthy and embedded, with its data under DATA_DIR', async () => {
    const res = await c.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'healthy',
      details: { database: { status: 'up', embedded: true } },
    });
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
  });

  it('refuses a second database on the same data directory (it would corrupt the files)', async () => {
    await expect(startEmbeddedDatabase(dataDir, 2)).rejects.toThrow(
      `is in use by process ${process.pid}`,
    );
    // the first one still serves
    expect((await c.get('/health')).status).toBe(200);
  });

  it('gives each tenant only its own data over HTTP', async () => {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      const [tenant, users, tenants] = await Promise.all([
        c.get('/api/v1/tenant', me.token),
        c.get('/api/v1/users', me.token),
        c.get('/api/v1/tenants', me.token),
      ]);
      expect(tenant.body.id).toBe(me.tenantId);
      expect(users.body.data.map((u: { email: string }) => u.email)).toEqual([me.email]);
      expect(tenants.body.data.map((m: { tenant: { id: string } }) => m.tenant.id)).toEqual([
        me.tenantId,
      ]);
      expect(
        (await c.post('/api/v1/tenant/switch', { tenantId: other.tenantId }, me.token)).status,
      ).toBe(404);
    }
  });

  it("confines the app's own tenant transactions by row-level security, as the API role", async () => {
    const pool = t.app.get(DatabaseService).pool;
    // control: the session itself (superuser) sees both tenants' rows
    const all = await pool.query(`SELECT count(*)::int AS n FROM tenants WHERE id = ANY($1)`, [
      [a.tenantId, b.tenantId],
    ]);
    expect(all.rows[0].n).toBe(2);

    for (const me of [a, b]) {
      const seen = await db.transaction({ tenantId: me.tenantId }, async () => {
        const [{ role }] = await db.query<{ role: string }>('SELECT current_user AS role');
        const tenants: Record<string, string[]> = {};
        for (const table of TENANT_TABLES) {
          const column = table === 'tenants' ? 'id' : 'tenant_id';
          const rows = await db.query<{ t: string }>(
            `SELECT DISTINCT ${column}::text AS t FROM ${table}`,
          );
          tenants[table] = rows.map((r) => r.t);
        }
        return { role, tenants };
      });
      expect(seen.role).toBe('acc_app');
      expect(seen.tenants).toEqual({
        tenants: [me.tenantId],
        tenant_configs: [me.tenantId],
        tenant_users: [me.tenantId],
        agents: [me.tenantId],
        leads: [],
        calls: [],
      });
    }
  });

  it('reads nothing of any tenant without a tenant context, and refuses writes into another tenant', async () => {
    const counts = await db.transaction({ purpose: 'login' }, async () => {
      const out: Record<string, number> = {};
      for (const table of ['tenant_configs', 'tenant_users', 'agents', 'leads', 'calls']) {
        out[table] = (
          await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)
        )[0].n;
      }
      return out;
    });
    expect(counts).toEqual({ tenant_configs: 0, tenant_users: 0, agents: 0, leads: 0, calls: 0 });

    await expect(
      db.transaction({ tenantId: a.tenantId }, () =>
        db.query(
          `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model) VALUES ($1, 'Intruder', 'alloy', 'openai', 'gpt-4o-mini')`,
          [b.tenantId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const moved = await db.transaction({ tenantId: a.tenantId }, () =>
      db.execute(`UPDATE agents SET name = 'Taken' WHERE tenant_id = $1`, [b.tenantId]),
    );
    expect(moved.rowCount).toBe(0);
    // after those transactions the shared session is the superuser again (nothing leaked)
    const { rows } = await t.app.get(DatabaseService).pool.query('SELECT current_user AS role');
    expect(rows[0].role).not.toBe('acc_app');
  });

  it('an API key acts in its own tenant only (found under row-level security as the API role), until revoked', async () => {
    const { id, key } = await createApiKey(c, a, 'viewer');
    const [tenant, agents] = await Promise.all([
      c.get('/api/v1/tenant', key),
      c.get('/api/v1/agents', key),
    ]);
    expect(tenant.body.id).toBe(a.tenantId);
    expect(agents.body.data).toHaveLength(1);
    expect((await c.get('/api/v1/agents', b.token)).body.data[0].id).not.toBe(
      agents.body.data[0].id,
    );
    expect((await c.delete(`/api/v1/api-keys/${id}`, a.token)).status).toBe(204);
    expect((await c.get('/api/v1/tenant', key)).status).toBe(401);
  });

  it("a tenant's share of the pool holds on the one shared session: more requests than the share all answer, in turn; no idle-in-transaction timeout", async () => {
    const share = db.tenantShare;
    expect(share.max).toBe(5); // half of the default pool of 10
    const burst = await Promise.all([
      ...Array.from({ length: 3 * share.max }, () => c.get('/api/v1/leads?limit=5', a.token)),
      ...Array.from({ length: 3 }, () => c.get('/api/v1/tenant', b.token)),
    ]);
    expect(burst.map((r) => r.status)).toEqual(Array(burst.length).fill(200));
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
    // ending the one session would end the database: never set here
    const [row] = await db.transaction({ tenantId: a.tenantId }, () =>
      db.query<{ v: string }>(`SELECT current_setting('idle_in_transaction_session_timeout') AS v`),
    );
    expect(row.v).toBe('0');
  });

  it('keeps its data across a restart on the same DATA_DIR', async () => {
    await t.close();
    t = await startEmbeddedTestApp(dataDir);
    c = client(t.url);
    db = t.app.get(Db);
    const token = await login(c, a.email, PASSWORD);
    expect((await c.get('/api/v1/tenant', token)).body.id).toBe(a.tenantId);
  }, 30_000);
});
