import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { insertTenant, TenantFixture } from '../testing/fixtures';
import { cannotRunHere } from '../testing/skips';
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
  /** a tenant with nothing in it yet (no config row to collide with) */
  let bare: string;

  type Write = (to: TenantFixture) => [string, unknown[]] | Promise<[string, unknown[]]>;
  const insertReturningId = async (sql: string, params: unknown[]) =>
    (await app.query(sql, params)).rows[0].id as string;
  /** users is not a tenant table: the API role may add an account under any tenant */
  const newUser = () =>
    insertReturningId(`INSERT INTO users (email, full_name) VALUES ($1, 'someone') RETURNING id`, [
      `someone-${randomUUID()}@example.com`,
    ]);

  const begin = (c: Client, tenantId: string | null, userId: string | null = null) =>
    c
      .query('BEGIN')
      .then(() => c.query('SELECT * FROM app_begin($1, $2, NULL, 5000)', [tenantId, userId]));

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    a = await insertTenant(owner, 'A');
    b = await insertTenant(owner, 'B');
    bare = randomUUID();
    await owner.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'bare', $2)`, [
      bare,
      `t-${bare.slice(0, 8)}`,
    ]);
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
      expect.arrayContaining([
        'agents',
        'calls',
        'integrations',
        'leads',
        'tenant_configs',
        'tenant_users',
      ]),
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

    /*
     * The write check (WITH CHECK) of every tenant table, one table at a
     * time: each write would succeed but for the policy (valid values, no
     * key of the other tenant taken), so with `WITH CHECK (true)` the insert
     * goes through and its test fails. A move is stopped twice: the new row
     * of an UPDATE with a WHERE clause must also pass the policy's USING, so
     * the move tests fail only when both clauses are broken.
     */
    const writes: Record<string, { insert: Write; move?: Write }> = {
      agents: {
        insert: (to) => [
          `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model)
           VALUES ($1, 'intruder', 'alloy', 'openai', 'x')`,
          [to.tenantId],
        ],
        move: async (to) => {
          const id = await insertReturningId(
            `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model)
             VALUES ($1, 'mine', 'alloy', 'openai', 'x') RETURNING id`,
            [a.tenantId],
          );
          return ['UPDATE agents SET tenant_id = $1 WHERE id = $2', [to.tenantId, id]];
        },
      },
      // a version of the other tenant's agent, so that no foreign key stops it first
      agent_versions: {
        insert: (to) => [
          `INSERT INTO agent_versions (tenant_id, agent_id, version, config) VALUES ($1, $2, 99, '{}')`,
          [to.tenantId, to.agentId],
        ],
        move: async (to) => {
          await app.query(
            `INSERT INTO agent_versions (tenant_id, agent_id, version, config) VALUES ($1, $2, 50, '{}')`,
            [a.tenantId, a.agentId],
          );
          return [
            'UPDATE agent_versions SET tenant_id = $1, agent_id = $2 WHERE agent_id = $3 AND version = 50',
            [to.tenantId, to.agentId, a.agentId],
          ];
        },
      },
      leads: {
        insert: (to) => [
          `INSERT INTO leads (tenant_id, phone) VALUES ($1, '+442071234567')`,
          [to.tenantId],
        ],
        move: (to) => ['UPDATE leads SET tenant_id = $1 WHERE id = $2', [to.tenantId, a.leadId]],
      },
      calls: {
        insert: (to) => [
          `INSERT INTO calls (tenant_id, agent_id, direction, from_number, to_number)
           VALUES ($1, $2, 'inbound', '+442071234567', '+14155550000')`,
          [to.tenantId, to.agentId],
        ],
        // with the other tenant's agent, so that no foreign key stops it first
        move: (to) => [
          'UPDATE calls SET tenant_id = $1, agent_id = $2, lead_id = NULL WHERE id = $3',
          [to.tenantId, to.agentId, a.callId],
        ],
      },
      tenant_users: {
        insert: async (to) => [
          `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`,
          [to.tenantId, await newUser()],
        ],
        move: async (to) => {
          const user = await newUser();
          await app.query(
            `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')`,
            [a.tenantId, user],
          );
          return [
            'UPDATE tenant_users SET tenant_id = $1 WHERE tenant_id = $2 AND user_id = $3',
            [to.tenantId, a.tenantId, user],
          ];
        },
      },
      // one row per tenant: the target is a tenant that has none yet
      tenant_configs: {
        insert: () => ['INSERT INTO tenant_configs (tenant_id) VALUES ($1)', [bare]],
        move: () => [
          'UPDATE tenant_configs SET tenant_id = $1 WHERE tenant_id = $2',
          [bare, a.tenantId],
        ],
      },
      api_usage: {
        insert: (to) => [
          `INSERT INTO api_usage (tenant_id, day, api_calls) VALUES ($1, current_date - 1, 1)`,
          [to.tenantId],
        ],
        move: async (to) => {
          await app.query(
            `INSERT INTO api_usage (tenant_id, day, api_calls) VALUES ($1, current_date - 1, 1)`,
            [a.tenantId],
          );
          return [
            'UPDATE api_usage SET tenant_id = $1 WHERE tenant_id = $2 AND day = current_date - 1',
            [to.tenantId, a.tenantId],
          ];
        },
      },
      // to a member of the other tenant who holds no invitation there
      invitations: {
        insert: (to) => [
          `INSERT INTO invitations (tenant_id, user_id, full_name, token_hash, expires_at)
           VALUES ($1, $2, 'x', $3, now() + interval '1 day')`,
          [to.tenantId, to.userId, randomBytes(32)],
        ],
        move: (to) => [
          'UPDATE invitations SET tenant_id = $1, user_id = $2 WHERE user_id = $3',
          [to.tenantId, to.userId, a.inviteeId],
        ],
      },
      api_keys: {
        insert: (to) => [
          `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, role)
           VALUES ($1, 'intruder', 'acc_AAAAAA', $2, 'admin')`,
          [to.tenantId, randomBytes(32)],
        ],
        move: (to) => [
          'UPDATE api_keys SET tenant_id = $1 WHERE id = $2',
          [to.tenantId, a.apiKeyId],
        ],
      },
      dnc_numbers: {
        insert: (to) => [
          `INSERT INTO dnc_numbers (tenant_id, phone) VALUES ($1, '+442071234567')`,
          [to.tenantId],
        ],
        move: (to) => [
          'UPDATE dnc_numbers SET tenant_id = $1 WHERE id = $2',
          [to.tenantId, a.dncId],
        ],
      },
      campaigns: {
        insert: (to) => [
          `INSERT INTO campaigns (tenant_id, name, agent_id, leads, days, window_start, window_end,
                                  max_attempts, retry_outcomes, retry_delay_minutes)
           VALUES ($1, 'intruder', $2, '{}', '{mon}', '09:00', '18:00', 1, '{}', 60)`,
          [to.tenantId, to.agentId],
        ],
        // with the other tenant's agent, so that no foreign key stops it first
        move: async (to) => {
          await app.query('DELETE FROM campaign_leads WHERE campaign_id = $1', [a.campaignId]);
          return [
            'UPDATE campaigns SET tenant_id = $1, agent_id = $2 WHERE id = $3',
            [to.tenantId, to.agentId, a.campaignId],
          ];
        },
      },
      // into the other tenant's campaign, with its lead: only the policy stands in the way
      campaign_leads: {
        insert: async (to) => {
          const lead = await owner.query(
            `INSERT INTO leads (tenant_id, phone) VALUES ($1, '+442071234568') RETURNING id`,
            [to.tenantId],
          );
          return [
            'INSERT INTO campaign_leads (tenant_id, campaign_id, lead_id) VALUES ($1, $2, $3)',
            [to.tenantId, to.campaignId, lead.rows[0].id],
          ];
        },
        move: async (to) => {
          const lead = await owner.query(
            `INSERT INTO leads (tenant_id, phone) VALUES ($1, '+442071234569') RETURNING id`,
            [to.tenantId],
          );
          return [
            'UPDATE campaign_leads SET tenant_id = $1, campaign_id = $2, lead_id = $3 WHERE campaign_id = $4',
            [to.tenantId, to.campaignId, lead.rows[0].id, a.campaignId],
          ];
        },
      },
      // a provider the other tenant has not set up yet (its fixture has vapi)
      integrations: {
        insert: (to) => [
          `INSERT INTO integrations (tenant_id, provider, secret_box) VALUES ($1, 'retell', $2)`,
          [to.tenantId, randomBytes(48)],
        ],
        move: (to) => [
          `UPDATE integrations SET tenant_id = $1, provider = 'retell' WHERE tenant_id = $2`,
          [to.tenantId, a.tenantId],
        ],
      },
      webhook_endpoints: {
        insert: (to) => [
          `INSERT INTO webhook_endpoints (tenant_id, url, events, secret_box)
           VALUES ($1, 'https://evil.example.com', '{lead.created}', $2)`,
          [to.tenantId, randomBytes(48)],
        ],
        move: async (to) => {
          const id = await insertReturningId(
            `INSERT INTO webhook_endpoints (tenant_id, url, events, secret_box)
             VALUES ($1, 'https://mine.example.com', '{lead.created}', $2) RETURNING id`,
            [a.tenantId, randomBytes(48)],
          );
          return ['UPDATE webhook_endpoints SET tenant_id = $1 WHERE id = $2', [to.tenantId, id]];
        },
      },
      // append-only: no move (the API role may not update it at all)
      audit_events: {
        insert: (to) => [
          `INSERT INTO audit_events (tenant_id, actor_type, action, resource_type)
           VALUES ($1, 'system', 'test.forged', 'test')`,
          [to.tenantId],
        ],
      },
      webhook_events: {
        insert: (to) => [
          `INSERT INTO webhook_events (tenant_id, type, payload) VALUES ($1, 'lead.created', '{}')`,
          [to.tenantId],
        ],
        move: async (to) => {
          const id = await insertReturningId(
            `INSERT INTO webhook_events (tenant_id, type, payload)
             VALUES ($1, 'lead.created', '{}') RETURNING id`,
            [a.tenantId],
          );
          return ['UPDATE webhook_events SET tenant_id = $1 WHERE id = $2', [to.tenantId, id]];
        },
      },
      // to the other tenant's endpoint and event, so that no foreign key stops it first
      webhook_deliveries: {
        insert: (to) => [
          `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, status, next_attempt_at)
           VALUES ($1, $2, $3, 'failed', NULL)`,
          [to.tenantId, to.endpointId, to.eventId],
        ],
        move: (to) => [
          `UPDATE webhook_deliveries SET tenant_id = $1, endpoint_id = $2, event_id = $3 WHERE id = $4`,
          [to.tenantId, to.endpointId, to.eventId, a.deliveryId],
        ],
      },
      // keyed by the tenant id itself: a transaction may not create another
      // tenant (moving one is the insert's case, and foreign keys stop it anyway)
      tenants: {
        insert: () => [
          `INSERT INTO tenants (id, name, slug) VALUES ($1, 'intruder', $2)`,
          [randomUUID(), `t-${randomUUID().slice(0, 8)}`],
        ],
      },
    };

    it('has a write case for every table with a policy that lets the tenant write', async () => {
      const { rows } = await owner.query(
        `SELECT DISTINCT tablename FROM pg_policies
          WHERE schemaname = 'public' AND cmd IN ('ALL', 'INSERT', 'UPDATE')
            AND (qual LIKE '%app_current_tenant()%' OR with_check LIKE '%app_current_tenant()%')
          ORDER BY 1`,
      );
      expect(rows.map((r) => r.tablename)).toEqual(Object.keys(writes).sort());
    });

    it.each(Object.keys(writes))("cannot insert another tenant's row into %s", async (table) => {
      const [sql, params] = await writes[table].insert(b);
      await expect(app.query(sql, params)).rejects.toThrow(
        new RegExp(`new row violates row-level security policy for table "${table}"`),
      );
    });

    const movable = Object.keys(writes).filter((t) => writes[t].move);
    it.each(movable)('cannot move its own row of %s to another tenant', async (table) => {
      const [sql, params] = await (writes[table].move as Write)(b);
      await expect(app.query(sql, params)).rejects.toThrow(
        new RegExp(`new row violates row-level security policy for table "${table}"`),
      );
    });

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

    it("cannot read B's webhook secret, events or deliveries by id, nor retry B's delivery", async () => {
      const secret = await app.query(
        'SELECT secret, secret_box FROM webhook_endpoints WHERE id = $1',
        [b.endpointId],
      );
      const event = await app.query('SELECT payload FROM webhook_events WHERE id = $1', [
        b.eventId,
      ]);
      const retry = await app.query(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE id = $1`,
        [b.deliveryId],
      );
      expect([secret.rows, event.rows, retry.rowCount]).toEqual([[], [], 0]);
    });

    it('cannot purge events: only app_purge_webhook_events() opens that, for its own statement', async () => {
      const del = await app.query('DELETE FROM webhook_events WHERE id = ANY($1)', [
        [a.eventId, b.eventId],
      ]);
      expect(del.rowCount).toBe(1); // its own
      // a DELETE that reads no column is bound by the delete policies alone
      const own = (await app.query('SELECT count(*)::int AS n FROM webhook_events')).rows[0].n;
      expect((await app.query('DELETE FROM webhook_events')).rowCount).toBe(own);
      const purged = await app.query(
        `SELECT app_purge_webhook_events(now() + interval '1 day') AS n`,
      );
      expect(Number(purged.rows[0].n)).toBeGreaterThanOrEqual(1);
      const setting = await app.query(`SELECT current_setting('app.webhook_purge', true) AS v`);
      expect(setting.rows[0].v).toBe('');
      const visible = await app.query('SELECT count(*)::int AS n FROM tenants');
      expect(visible.rows[0].n).toBe(1);
      expect(
        (await owner.query('SELECT 1 FROM webhook_events WHERE id = $1', [b.eventId])).rows,
      ).toHaveLength(1); // the owner sees the purge's result only after this transaction rolls back
    });

    it("cannot read B's audit events by id, nor update or delete any (no grant)", async () => {
      const { rows } = await app.query('SELECT id FROM audit_events WHERE id = ANY($1)', [
        [a.auditId, b.auditId],
      ]);
      expect(rows.map((r) => r.id)).toEqual([a.auditId]);
      await app.query('SAVEPOINT s');
      await expect(app.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(
        /permission denied/,
      );
      await app.query('ROLLBACK TO SAVEPOINT s');
      await expect(app.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
      await app.query('ROLLBACK TO SAVEPOINT s');
    });

    it("app_audit_append() appends with the caller's rights: in A, never into B", async () => {
      const append = (tenantId: string) =>
        app.query(
          `SELECT app_audit_append($1, 'system', NULL, 'Test', NULL, NULL, 'test.appended',
                                   'test', NULL, '{}', NULL, NULL, NULL)`,
          [tenantId],
        );
      await app.query('SAVEPOINT s');
      await expect(append(b.tenantId)).rejects.toThrow(
        /new row violates row-level security policy for table "audit_events"/,
      );
      await app.query('ROLLBACK TO SAVEPOINT s');
      await append(a.tenantId);
      const { rows } = await app.query(
        `SELECT tenant_id, actor_name FROM audit_events WHERE action = 'test.appended'`,
      );
      expect(rows).toEqual([{ tenant_id: a.tenantId, actor_name: 'Test' }]);
      await app.query('ROLLBACK TO SAVEPOINT s');
    });

    it("app_purge_audit_events() purges past each tenant's retention, and leaves the caller's tenant as it was", async () => {
      const purged = await app.query('SELECT app_purge_audit_events() AS n');
      expect(Number(purged.rows[0].n)).toBeGreaterThanOrEqual(2); // A's and B's old ones
      const { rows } = await app.query('SELECT id FROM audit_events WHERE id = ANY($1)', [
        [a.auditId, a.oldAuditId],
      ]);
      expect(rows.map((r) => r.id)).toEqual([a.auditId]);
      const setting = await app.query(`SELECT current_setting('app.tenant_id', true) AS v`);
      expect(setting.rows[0].v).toBe(a.tenantId);
    });

    it("cannot read B's rows even by id", async () => {
      const { rows } = await app.query('SELECT id FROM leads WHERE id = $1', [b.leadId]);
      expect(rows).toEqual([]);
    });

    it("reads, rewrites and deletes none of B's agent versions", async () => {
      const read = await app.query('SELECT config FROM agent_versions WHERE agent_id = $1', [
        b.agentId,
      ]);
      const upd = await app.query(`UPDATE agent_versions SET config = '{}' WHERE agent_id = $1`, [
        b.agentId,
      ]);
      const del = await app.query('DELETE FROM agent_versions WHERE agent_id = $1', [b.agentId]);
      expect([read.rows, upd.rowCount, del.rowCount]).toEqual([[], 0, 0]);
    });

    it("reads, replaces and deletes none of B's provider secrets", async () => {
      const read = await app.query(`SELECT secret_box FROM integrations WHERE tenant_id = $1`, [
        b.tenantId,
      ]);
      const upd = await app.query(
        `UPDATE integrations SET secret_box = $2 WHERE tenant_id = $1 AND provider = 'vapi'`,
        [b.tenantId, Buffer.alloc(48, 2)],
      );
      const del = await app.query(`DELETE FROM integrations WHERE tenant_id = $1`, [b.tenantId]);
      expect([read.rows, upd.rowCount, del.rowCount]).toEqual([[], 0, 0]);
    });

    it("updates and deletes 0 of B's rows by id", async () => {
      const upd = await app.query(`UPDATE leads SET company = 'pwned' WHERE id = $1`, [b.leadId]);
      const del = await app.query('DELETE FROM calls WHERE id = $1', [b.callId]);
      const delAgent = await app.query('DELETE FROM agents WHERE id = $1', [b.agentId]);
      expect([upd.rowCount, del.rowCount, delAgent.rowCount]).toEqual([0, 0, 0]);
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

    // A DELETE with no WHERE clause reads nothing, so no read policy narrows
    // it: only the delete policies stand between it and every tenant's rows.
    it('answers (deletes) only their own invitation and invited membership, even with no WHERE', async () => {
      await begin(app, null, a.inviteeId);
      expect((await app.query('DELETE FROM invitations')).rowCount).toBe(1);
      expect((await app.query('DELETE FROM tenant_users')).rowCount).toBe(1);
    });

    it('cannot leave an active membership with no tenant scope (declining is for invitations)', async () => {
      await begin(app, null, a.userId);
      const left = await app.query('DELETE FROM tenant_users WHERE user_id = $1', [a.userId]);
      expect(left.rowCount).toBe(0);
    });

    it("appends to a tenant's audit log only its own events, as itself, where it is a member (self_append)", async () => {
      await begin(app, null, a.inviteeId);
      const append = async (tenantId: string, actorId: string, resourceId = actorId) => {
        await app.query('SAVEPOINT s');
        try {
          await app.query(
            `INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, resource_type, resource_id)
             VALUES ($1, 'user', $2, 'member.invitation_declined', 'member', $3)`,
            [tenantId, actorId, resourceId],
          );
          return 'appended';
        } catch (e) {
          await app.query('ROLLBACK TO SAVEPOINT s');
          return (e as Error).message;
        }
      };
      expect(await append(a.tenantId, a.inviteeId)).toBe('appended');
      const refused = expect.stringMatching(/row-level security/);
      // a tenant it is not a member of, as someone else, about someone else
      expect(await append(b.tenantId, a.inviteeId)).toEqual(refused);
      expect(await append(a.tenantId, a.userId)).toEqual(refused);
      expect(await append(a.tenantId, a.inviteeId, a.userId)).toEqual(refused);
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
  it("audit retention: a DELETE, even by a role granted one, reaches only its tenant's events past retention", async () => {
    if (db.embedded)
      return cannotRunHere('the audit retention policy (needs a second role on a server)');
    await owner.query('BEGIN');
    try {
      await owner.query(`GRANT DELETE ON audit_events TO ${APP_ROLE}`);
      await owner.query('SELECT * FROM app_begin($1, NULL, $2, 5000)', [a.tenantId, APP_ROLE]);
      const del = await owner.query('DELETE FROM audit_events RETURNING id');
      expect(del.rows.map((r) => r.id)).toEqual([a.oldAuditId]);
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  describe('API keys: a presented key opens its own tenant, and nothing else', () => {
    const sha256 = (s: string) => createHash('sha256').update(s).digest();
    const beginKey = (key: string) =>
      app
        .query('BEGIN')
        .then(() => app.query('SELECT * FROM app_begin_key($1, NULL, 5000)', [sha256(key)]));
    afterEach(() => app.query('ROLLBACK'));

    it("under A, B's key is out of reach: not read by its hash, not changed, not deleted", async () => {
      await begin(app, a.tenantId);
      const read = await app.query('SELECT id FROM api_keys WHERE key_hash = $1', [
        sha256(b.apiKey),
      ]);
      expect(read.rows).toEqual([]);
      const upd = await app.query(`UPDATE api_keys SET role = 'admin' WHERE id = $1`, [b.apiKeyId]);
      const del = await app.query('DELETE FROM api_keys WHERE id = $1', [b.apiKeyId]);
      expect([upd.rowCount, del.rowCount]).toEqual([0, 0]);
    });

    it("app_begin_key() answers the key's tenant, id and role and makes that tenant the transaction's", async () => {
      const { rows } = await beginKey(b.apiKey);
      expect(rows).toEqual([{ k_tenant_id: b.tenantId, k_id: b.apiKeyId, k_role: 'member' }]);
      const leads = await app.query('SELECT DISTINCT tenant_id FROM leads');
      expect(leads.rows.map((r) => r.tenant_id)).toEqual([b.tenantId]);
      const keys = await app.query('SELECT id FROM api_keys');
      expect(keys.rows.map((r) => r.id)).toEqual([b.apiKeyId]);
      const setting = await app.query(`SELECT current_setting('app.api_key_hash', true) AS v`);
      expect(setting.rows[0].v).toBe('');
    });

    it('an unknown, altered or expired key: no row, no tenant, every tenant table empty', async () => {
      for (const key of ['acc_nobody', `${a.apiKey.slice(0, -1)}1`]) {
        const { rows } = await beginKey(key);
        expect(rows).toEqual([]);
        for (const t of [...tenantTables, 'tenants']) {
          const n = (await app.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
          expect({ table: t, n }).toEqual({ table: t, n: 0 });
        }
        await app.query('ROLLBACK');
      }
      await owner.query(
        `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [a.apiKeyId],
      );
      try {
        expect((await beginKey(a.apiKey)).rows).toEqual([]);
      } finally {
        await app.query('ROLLBACK');
        await owner.query('UPDATE api_keys SET expires_at = NULL WHERE id = $1', [a.apiKeyId]);
      }
      await app.query('BEGIN');
    });

    it('the lookup setting opens one key for reading only', async () => {
      await begin(app, null);
      await app.query(`SELECT set_config('app.api_key_hash', $1, true)`, [
        sha256(b.apiKey).toString('hex'),
      ]);
      const seen = await app.query('SELECT id FROM api_keys');
      expect(seen.rows.map((r) => r.id)).toEqual([b.apiKeyId]);
      const upd = await app.query(`UPDATE api_keys SET role = 'admin' WHERE id = $1`, [b.apiKeyId]);
      expect(upd.rowCount).toBe(0);
      expect((await app.query('SELECT count(*)::int AS n FROM leads')).rows[0].n).toBe(0);
    });
  });
});
