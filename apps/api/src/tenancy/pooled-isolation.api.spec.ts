import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Client as Pg } from 'pg';
import { Account, addMember, joinTenant, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import {
  MIGRATIONS_DIR,
  TestDatabase,
  connectAsOwner,
  createTestDatabase,
} from '../testing/test-database';

/**
 * Pooled connections under load: three connections shared by hundreds of
 * concurrent requests of users in different tenants (and one user in two).
 */
describe('isolation on pooled connections', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let xA: string;
  let xB: string;
  const ids: Record<string, Set<string>> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, {
      DATABASE_POOL_MAX: '3',
      // requests queue for the 3 connections rather than give up (503) on a busy machine:
      // what this test counts is foreign rows, and every request must answer
      DATABASE_POOL_WAIT_MS: '30000',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    });
    c = client(t.url);
    a = await signup(c, 'PoolA');
    b = await signup(c, 'PoolB');
    const x = await addMember(c, smtp, a, 'member', 'both');
    xA = x.token;
    xB = await joinTenant(c, b, x, 'member');
    for (const [acct, label] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      ids[acct.tenantId] = new Set();
      for (let i = 0; i < 15; i++) {
        const lead = await c.post(
          '/api/v1/leads',
          {
            phone: `+1415555${label === 'A' ? 1 : 2}${String(i).padStart(3, '0')}`,
            firstName: `${label}${i}`,
          },
          acct.token,
        );
        ids[acct.tenantId].add(bodyOf(lead, 201).id);
      }
    }
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it("answers 300 concurrent mixed requests with only the caller's tenant rows", async () => {
    const callers = [
      { token: a.token, tenant: a.tenantId },
      { token: b.token, tenant: b.tenantId },
      { token: xA, tenant: a.tenantId },
      { token: xB, tenant: b.tenantId },
    ];
    let mismatches = 0;
    let errors = 0;
    const written: Array<{ id: string; tenant: string }> = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const who = callers[i % callers.length];
        const kind = i % 3;
        if (kind === 0) {
          const res = await c.get('/api/v1/leads?limit=100', who.token);
          if (res.status !== 200) errors++;
          else for (const l of res.body.data) if (!ids[who.tenant].has(l.id)) mismatches++;
        } else if (kind === 1) {
          const res = await c.get('/api/v1/tenant', who.token);
          if (res.status !== 200) errors++;
          else if (res.body.id !== who.tenant) mismatches++;
        } else {
          const res = await c.post(
            '/api/v1/leads',
            { phone: `+1212555${String(1000 + i).slice(-4)}`, firstName: `c${i}` },
            who.token,
          );
          if (res.status !== 201) errors++;
          else {
            ids[who.tenant].add(res.body.id);
            written.push({ id: res.body.id, tenant: who.tenant });
          }
        }
      }),
    );
    // every acknowledged write landed in the caller's tenant
    const { rows } = await owner.query(
      'SELECT id, tenant_id FROM leads WHERE id = ANY($1::uuid[])',
      [written.map((w) => w.id)],
    );
    const stored = new Map(rows.map((r) => [r.id, r.tenant_id]));
    mismatches += written.filter((w) => stored.get(w.id) !== w.tenant).length;
    expect(written.length).toBe(100);
    expect({ mismatches, errors }).toEqual({ mismatches: 0, errors: 0 });
  }, 120_000);

  it('rolls back a request that fails half-way; the next user of the connection sees only its tenant', async () => {
    const agent = (await c.post('/api/v1/agents', { name: 'Half' }, a.token)).body;
    // the UPDATE runs, then the rule check fails: the transaction must roll back
    const bad = await c.patch(
      `/api/v1/agents/${agent.id}`,
      { name: 'Changed', voicemailBehavior: 'leave_message' },
      a.token,
    );
    expect(bad.status).toBe(400);
    const row = await owner.query('SELECT name FROM agents WHERE id = $1', [agent.id]);
    expect(row.rows[0].name).toBe('Half');
    for (let i = 0; i < 10; i++) {
      const res = await c.get('/api/v1/agents', b.token);
      expect(res.body.data.map((x: { id: string }) => x.id)).not.toContain(agent.id);
    }
  });
});

/** No session-level tenant setting and no string-built set_config anywhere in the API or the migrations. */
describe('tenant settings are transaction-local and parameterised', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      // test helpers (testing/) may SET ROLE on their own connections
      return statSync(p).isDirectory()
        ? f === 'testing'
          ? []
          : files(p)
        : /\.(ts|sql)$/.test(f) && !/\.spec\.ts$/.test(f)
          ? [p]
          : [];
    });
  const sources = [...files(join(__dirname, '..')), ...files(MIGRATIONS_DIR)].map((p) => ({
    p,
    text: readFileSync(p, 'utf8'),
  }));

  it('scans the sources it should', () => {
    expect(sources.map((s) => s.p).some((p) => p.endsWith('db.service.ts'))).toBe(true);
    expect(sources.map((s) => s.p).some((p) => p.endsWith('001_initial_schema.sql'))).toBe(true);
  });

  it('has no session-level SET of a tenant setting or role', () => {
    const statement = /(^|[;'"`(]\s*)SET\s+(SESSION\s+)?(app\.|ROLE\b)/im;
    expect(sources.filter((s) => statement.test(s.text)).map((s) => s.p)).toEqual([]);
  });

  it('never builds a set_config call from strings, and never sets one session-wide', () => {
    const calls = sources.flatMap(({ p, text }) => {
      const found: Array<{ p: string; call: string }> = [];
      for (let i = text.indexOf('set_config('); i >= 0; i = text.indexOf('set_config(', i + 1)) {
        let depth = 0;
        let j = i + 'set_config'.length;
        do {
          if (text[j] === '(') depth++;
          if (text[j] === ')') depth--;
          j++;
        } while (depth > 0 && j < text.length);
        found.push({ p, call: text.slice(i, j) });
      }
      return found;
    });
    expect(calls.length).toBeGreaterThan(3);
    const unsafe = calls.filter(
      ({ call }) =>
        call.includes('${') ||
        !/,\s*true\s*\)$/.test(call) ||
        !/^set_config\('[a-z_.]+'/.test(call),
    );
    expect(unsafe).toEqual([]);
  });
});
