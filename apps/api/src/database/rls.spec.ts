import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import { insertTenant, TenantFixture } from '../testing/fixtures';
import {
  APP_ROLE,
  connectAsAppRole,
  connectAsOwner,
  createTestDatabase,
  TestDatabase,
} from '../testing/test-database';

/**
 * Row-level security on its own, below the API's guards: plain SQL as the
 * API role. If FORCE or a policy is removed from any table, these fail.
 */
describe('row-level security (SQL, as the API role)', () => {
  let db: TestDatabase;
  let owner: Client;
  let app: Client;
  let a: TenantFixture;
  let b: TenantFixture;
  let tenantTables: string[];

  const begin = (c: Client, tenantId: string | null, userId: string | null = null) =>
    c
      .query('BEGIN')
      .then(() => c.query('SELECT * FROM app_begin($1, $2, NULL, 5000)', [tenantId, userId]));

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    a = await insertTenant(owner, 'A');
    b = await insertTenant(owner, 'B');
    app = await connectAsAppRole(db);
    tenantTables = (
      await owner.query(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await db?.drop();
  });

  it('covers the tenant tables of the design', () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining(['agents', 'calls', 'leads', 'tenant_configs', 'tenant_users']),
    );
  });

  it('finds no table with a tenant_id (nor tenants itself) without forced RLS and a policy', async () => {
    const { rows } = await owner.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND (c.relname = 'tenants' OR EXISTS (
                SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))`,
    );
    expect(rows.length).toBe(tenantTables.length + 1);
    const unprotected = rows.filter(
      (r) => !r.relrowsecurity || !r.relforcerowsecurity || r.policies < 1,
    );
    expect(unprotected).toEqual([]);
  });

  it('runs as a role that is not superuser, not BYPASSRLS and owns no table', async () => {
    const { rows } = await app.query(
      `SELECT r.rolname, r.rolsuper, r.rolbypassrls,
              (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind = 'r')::int AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows).toEqual([{ rolname: APP_ROLE, rolsuper: false, rolbypassrls: false, owned: 0 }]);
  });

  it('reads 0 rows from every tenant table with no tenant set, on a fresh connection', async () => {
    const fresh = await connectAsAppRole(db);
    try {
      for (const t of [...tenantTables, 'tenants']) {
        const { rows } = await fresh.query(`SELECT count(*)::int AS n FROM ${t}`);
        expect({ table: t, n: rows[0].n }).toEqual({ table: t, n: 0 });
      }
    } finally {
      await fresh.end();
    }
  });

  it('reads 0 rows with no tenant set on a pooled connection that just served a tenant', async () => {
    const pool = new Pool({ connectionString: db.appUrl, max: 1 });
    if (db.embedded) pool.on('connect', (c) => void c.query(`SET ROLE ${APP_ROLE}`));
    try {
      const c = await pool.connect();
      await c.query('BEGIN');
      await c.query('SELECT * FROM app_begin($1, $2, NULL, 5000)', [a.tenantId, a.userId]);
      expect((await c.query('SELECT count(*)::int AS n FROM leads')).rows[0].n).toBe(1);
      await c.query('COMMIT');
      // a transaction that fails half-way must not leave its setting behind either
      await c.query('BEGIN');
      await c.query('SELECT * FROM app_begin($1, NULL, NULL, 5000)', [b.tenantId]);
      await expect(c.query('SELECT 1/0')).rejects.toThrow();
      await c.query('ROLLBACK');
      c.release();

      const again = await pool.connect();
      try {
        expect(again).toBe(c); // the same pooled connection
        for (const t of [...tenantTables, 'tenants']) {
          const { rows } = await again.query(`SELECT count(*)::int AS n FROM ${t}`);
          expect({ table: t, n: rows[0].n }).toEqual({ table: t, n: 0 });
        }
        const setting = await again.query(`SELECT current_setting('app.tenant_id', true) AS v`);
        expect(setting.rows[0].v ?? '').toBe('');
      } finally {
        again.release();
      }
    } finally {
      await pool.end();
    }
  });

  describe('under tenant A', () => {
    beforeEach(() => begin(app, a.tenantId));
    afterEach(() => app.query('ROLLBACK'));

    it("sees only A's rows in every tenant table", async () => {
      for (const t of tenantTables) {
        const { rows } = await app.query(`SELECT DISTINCT tenant_id FROM ${t}`);
        expect({ table: t, tenants: rows.map((r) => r.tenant_id) }).toEqual({
          table: t,
          tenants: [a.tenantId],
        });
      }
      const tenants = await app.query('SELECT id FROM tenants');
      expect(tenants.rows.map((r) => r.id)).toEqual([a.tenantId]);
    });

    it("cannot read B's rows even by id", async () => {
      const { rows } = await app.query('SELECT id FROM leads WHERE id = $1', [b.leadId]);
      expect(rows).toEqual([]);
    });

    it('cannot insert a row into B', async () => {
      await expect(
        app.query(
          `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model)
           VALUES ($1, 'intruder', 'alloy', 'openai', 'x')`,
          [b.tenantId],
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it("updates and deletes 0 of B's rows by id", async () => {
      const upd = await app.query(`UPDATE leads SET company = 'pwned' WHERE id = $1`, [b.leadId]);
      const del = await app.query('DELETE FROM calls WHERE id = $1', [b.callId]);
      const delAgent = await app.query('DELETE FROM agents WHERE id = $1', [b.agentId]);
      expect([upd.rowCount, del.rowCount, delAgent.rowCount]).toEqual([0, 0, 0]);
    });

    it('cannot move its own row to B', async () => {
      await expect(
        app.query('UPDATE leads SET tenant_id = $1 WHERE id = $2', [b.tenantId, a.leadId]),
      ).rejects.toThrow(/row-level security/);
    });

    it("cannot point its rows at B's agent (tenant-qualified foreign keys)", async () => {
      await expect(
        app.query('UPDATE leads SET assigned_agent_id = $1 WHERE id = $2', [b.agentId, a.leadId]),
      ).rejects.toThrow(/foreign key/);
    });
  });

  it('lets a user read only their own memberships across tenants (no tenant set)', async () => {
    await owner.query(
      `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')`,
      [b.tenantId, a.userId],
    );
    try {
      await begin(app, null, a.userId);
      const { rows } = await app.query('SELECT tenant_id FROM tenant_users ORDER BY tenant_id');
      expect(rows.map((r) => r.tenant_id).sort()).toEqual([a.tenantId, b.tenantId].sort());
      const leads = await app.query('SELECT count(*)::int AS n FROM leads');
      expect(leads.rows[0].n).toBe(0);
      // reading is all: the membership in B cannot be changed from outside B
      const upd = await app.query(`UPDATE tenant_users SET role = 'owner' WHERE user_id = $1`, [
        a.userId,
      ]);
      expect(upd.rowCount).toBe(0);
      await app.query('ROLLBACK');
    } finally {
      await owner.query('DELETE FROM tenant_users WHERE tenant_id = $1 AND user_id = $2', [
        b.tenantId,
        a.userId,
      ]);
    }
  });

  describe('invitations: an invitee answers their own, and nothing more', () => {
    const sha256 = (s: string) => createHash('sha256').update(s).digest();
    afterEach(() => app.query('ROLLBACK'));

    it('sees only their own invitations and activates only their own invited membership', async () => {
      await begin(app, null, a.inviteeId);
      const mine = await app.query('SELECT tenant_id FROM invitations');
      expect(mine.rows.map((r) => r.tenant_id)).toEqual([a.tenantId]);
      const others = await app.query(
        `UPDATE tenant_users SET status = 'active' WHERE user_id = $1`,
        [b.inviteeId],
      );
      expect(others.rowCount).toBe(0);
      const owners = await app.query(`DELETE FROM tenant_users WHERE user_id = $1`, [a.userId]);
      expect(owners.rowCount).toBe(0);
      const own = await app.query(
        `UPDATE tenant_users SET status = 'active' WHERE tenant_id = $1 AND user_id = $2`,
        [a.tenantId, a.inviteeId],
      );
      expect(own.rowCount).toBe(1);
    });

    it('cannot activate it once the invitation expired, nor make it anything but active', async () => {
      await owner.query(
        `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [a.inviteeId],
      );
      try {
        await begin(app, null, a.inviteeId);
        const expired = await app.query(
          `UPDATE tenant_users SET status = 'active' WHERE user_id = $1`,
          [a.inviteeId],
        );
        expect(expired.rowCount).toBe(0);
      } finally {
        await app.query('ROLLBACK');
        await owner.query(
          `UPDATE invitations SET expires_at = now() + interval '7 days' WHERE user_id = $1`,
          [a.inviteeId],
        );
      }
      await begin(app, null, a.inviteeId);
      await expect(
        app.query(`UPDATE tenant_users SET status = 'disabled' WHERE user_id = $1`, [a.inviteeId]),
      ).rejects.toThrow(/row-level security/);
    });

    it('a token opens its one invitation for app_invitation_by_token only, with no scope at all', async () => {
      await begin(app, null);
      const { rows } = await app.query('SELECT * FROM app_invitation_by_token($1)', [
        sha256(b.inviteeId),
      ]);
      expect(rows).toEqual([
        { id: expect.any(String), tenant_id: b.tenantId, user_id: b.inviteeId },
      ]);
      expect((await app.query('SELECT count(*)::int AS n FROM invitations')).rows[0].n).toBe(0);
      const wrong = await app.query('SELECT * FROM app_invitation_by_token($1)', [
        sha256('not a token'),
      ]);
      expect(wrong.rows).toEqual([]);
    });
  });
});
