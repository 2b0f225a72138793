import jwt from 'jsonwebtoken';
import type { Client as Pg } from 'pg';
import { encodeCursor } from './pagination';
import { insertTenant } from '../testing/fixtures';
import { client } from '../testing/http';
import { Statement, captureSql } from '../testing/sql-capture';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../testing/test-app';
import {
  TestDatabase,
  connectAsAppRole,
  connectAsOwner,
  createTestDatabase,
} from '../testing/test-database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/**
 * The plans of the list queries the API really sends (captured from a
 * request to each list route with each filter), explained under a tenant's
 * RLS context as the API role, on enough rows that a sequential scan would
 * be chosen if no index fitted.
 */
describe('list queries use tenant-leading indexes (EXPLAIN)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let app: Pg;
  let tenantId: string;
  let agentId: string;
  let leadId: string;
  let t: TestApp;
  let sent: ReturnType<typeof captureSql>;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    const tenants = [];
    for (let i = 0; i < 20; i++) tenants.push(await insertTenant(owner, `T${i}`));
    ({ tenantId, agentId, leadId } = tenants[0]);
    // 20 tenants x 3,000 leads and calls
    await owner.query(`
      INSERT INTO leads (tenant_id, phone, first_name, status, tags, assigned_agent_id, created_at)
      SELECT t.tenant_id, '+1' || (2000000000 + row_number() OVER ())::text, 'Name' || g,
             (ARRAY['new','contacted','qualified'])[1 + g % 3], ARRAY['tag' || (g % 50)],
             CASE WHEN g % 10 = 0 THEN t.agent END, now() - make_interval(secs => g)
        FROM (SELECT tenant_id, min(id::text)::uuid AS agent FROM agents GROUP BY tenant_id) t,
             generate_series(1, 3000) g`);
    await owner.query(`
      INSERT INTO calls (tenant_id, agent_id, lead_id, direction, status, from_number, to_number, created_at,
                         answered_at, ended_at)
      SELECT l.tenant_id, a.id, l.id, 'outbound', (ARRAY['completed','failed','busy'])[1 + (random() * 2)::int],
             '+14155550000', l.phone, l.created_at,
             l.created_at, l.created_at + make_interval(secs => (random() * 600)::int)
        FROM leads l JOIN agents a ON a.tenant_id = l.tenant_id`);
    await owner.query('ANALYZE');
    t = await startTestApp(db);
    sent = captureSql(t.app);
    // the fixture's owner: token version 0, no password needed
    token = jwt.sign({ tid: tenantId, role: 'owner', ver: 0 }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: tenants[0].userId,
      issuer: 'ai-call-center',
      audience: 'ai-call-center-api',
      expiresIn: 600,
    });
    app = await connectAsAppRole(db);
    await app.query('BEGIN');
    await app.query('SELECT * FROM app_begin($1, NULL, NULL, 10000)', [tenantId]);
    // 20 tenants x 3,000 leads and calls, then the app: longer than a test's 30 s on a busy machine
  }, 180_000);

  afterAll(async () => {
    await app?.query('ROLLBACK').catch(() => undefined);
    await app?.end();
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  const cursor = encodeCursor({
    ts: '2026-01-01T00:00:00.000000Z',
    id: '00000000-0000-4000-8000-000000000000',
  });
  const cases: Array<[string, () => string]> = [
    ['leads, first page', () => '/api/v1/leads'],
    ['leads, a later page', () => `/api/v1/leads?cursor=${cursor}`],
    ['leads by status', () => '/api/v1/leads?status=qualified'],
    ['leads by agent', () => `/api/v1/leads?agentId=${agentId}`],
    ['leads by tag', () => '/api/v1/leads?tag=tag7'],
    ['leads by free text', () => '/api/v1/leads?q=name123'],
    ['calls, first page', () => '/api/v1/calls'],
    ['calls, a later page', () => `/api/v1/calls?cursor=${cursor}`],
    ['calls by status', () => '/api/v1/calls?status=busy'],
    ['calls by agent', () => `/api/v1/calls?agentId=${agentId}`],
    ['calls by lead', () => `/api/v1/calls?leadId=${leadId}`],
  ];

  /** The page query a request sent: the statement that reads the list, LIMIT and all. */
  const pageStatement = async (path: string): Promise<Statement> => {
    sent.take();
    const res = await client(t.url).get(path, token);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    const found = sent.take().filter((s) => /ORDER BY .* LIMIT/s.test(s.sql));
    if (found.length !== 1) throw new Error(`${path}: ${found.length} page statements`);
    return found[0];
  };

  const explain = async (path: string): Promise<PlanNode[]> => {
    const { sql, params } = await pageStatement(path);
    const { rows } = await app.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return nodes(rows[0]['QUERY PLAN'][0].Plan);
  };

  it.each(cases)('%s: no sequential scan on a big table', async (_name, path) => {
    const plan = await explain(path());
    const seq = plan.filter(
      (n) => n['Node Type'] === 'Seq Scan' && ['leads', 'calls'].includes(n['Relation Name'] ?? ''),
    );
    expect(seq).toEqual([]);
    expect(plan.some((n) => /Index|Bitmap/.test(n['Node Type']))).toBe(true);
  });

  /** The second page of a sorted list: its cursor holds the sort values of a row. */
  const secondPage = async (path: string): Promise<string> => {
    const first = await client(t.url).get(`${path}&limit=50`, token);
    if (first.status !== 200) throw new Error(`${path}: ${first.status}`);
    return `${path}&cursor=${first.body.nextCursor}`;
  };

  // every sort of a big table reads its rows in order from its index (migration 015), on the
  // first page and on a later one, either way: no Sort node, whatever the tenant's size
  const sorted: Array<[string, string]> = [
    ['/api/v1/leads?sort=name', 'idx_leads_tenant_name'],
    ['/api/v1/leads?sort=-name', 'idx_leads_tenant_name'],
    ['/api/v1/leads?sort=status', 'idx_leads_tenant_status'],
    ['/api/v1/leads?sort=-status', 'idx_leads_tenant_status'],
    ['/api/v1/leads?sort=createdAt', 'idx_leads_tenant_created'],
    ['/api/v1/calls?sort=duration', 'idx_calls_tenant_duration'],
    ['/api/v1/calls?sort=-duration', 'idx_calls_tenant_duration'],
    ['/api/v1/calls?sort=-status', 'idx_calls_tenant_status'],
    ['/api/v1/calls?sort=createdAt', 'idx_calls_tenant_created'],
    // the status filter in the default order, which its index served before it changed direction
    ['/api/v1/leads?status=qualified&sort=-createdAt', 'idx_leads_tenant_status'],
    ['/api/v1/calls?status=busy&sort=-createdAt', 'idx_calls_tenant_status'],
  ];
  it.each(sorted)('%s: in order from %s, first and later pages', async (path, index) => {
    for (const p of [path, await secondPage(path)]) {
      const plan = await explain(p);
      expect(plan.map((n) => n['Index Name']).filter(Boolean)).toEqual([index]);
      expect(plan.filter((n) => /Sort|Seq Scan/.test(n['Node Type']))).toEqual([]);
    }
  });
});
