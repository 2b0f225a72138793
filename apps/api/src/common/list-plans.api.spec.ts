import type { Client as Pg } from 'pg';
import { Where, encodeCursor, pageQuery } from './pagination';
import { LEAD_COLUMNS, leadFilter } from '../leads/lead.sql';
import { CALL_SUMMARY_COLUMNS, callFilter } from '../calls/call.sql';
import { insertTenant } from '../testing/fixtures';
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
 * The plans of the list queries, built by the same functions the services
 * use, under a tenant's RLS context as the API role, on enough rows that a
 * sequential scan would be chosen if no index fitted.
 */
describe('list queries use tenant-leading indexes (EXPLAIN)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let app: Pg;
  let tenantId: string;
  let agentId: string;
  let leadId: string;

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
      INSERT INTO calls (tenant_id, agent_id, lead_id, direction, status, from_number, to_number, created_at)
      SELECT l.tenant_id, a.id, l.id, 'outbound', (ARRAY['completed','failed','busy'])[1 + (random() * 2)::int],
             '+14155550000', l.phone, l.created_at
        FROM leads l JOIN agents a ON a.tenant_id = l.tenant_id`);
    await owner.query('ANALYZE');
    app = await connectAsAppRole(db);
    await app.query('BEGIN');
    await app.query('SELECT * FROM app_begin($1, NULL, NULL, 10000)', [tenantId]);
  });

  afterAll(async () => {
    await app?.query('ROLLBACK').catch(() => undefined);
    await app?.end();
    await owner?.end();
    await db?.drop();
  });

  const cursor = encodeCursor({
    ts: '2026-01-01T00:00:00.000000Z',
    id: '00000000-0000-4000-8000-000000000000',
  });
  const cases: Array<[string, string, () => Where, string | undefined]> = [
    ['leads, first page', 'leads l', () => leadFilter(tenantId, {}), undefined],
    ['leads, a later page', 'leads l', () => leadFilter(tenantId, {}), cursor],
    ['leads by status', 'leads l', () => leadFilter(tenantId, { status: 'qualified' }), undefined],
    ['leads by agent', 'leads l', () => leadFilter(tenantId, { agentId }), undefined],
    ['leads by tag', 'leads l', () => leadFilter(tenantId, { tag: 'tag7' }), undefined],
    ['leads by free text', 'leads l', () => leadFilter(tenantId, { q: 'name123' }), undefined],
    ['calls, first page', 'calls c', () => callFilter(tenantId, {}), undefined],
    ['calls, a later page', 'calls c', () => callFilter(tenantId, {}), cursor],
    ['calls by status', 'calls c', () => callFilter(tenantId, { status: 'busy' }), undefined],
    ['calls by agent', 'calls c', () => callFilter(tenantId, { agentId }), undefined],
    ['calls by lead', 'calls c', () => callFilter(tenantId, { leadId }), undefined],
  ];

  it.each(cases)('%s: no sequential scan on a big table', async (_name, from, where, after) => {
    const columns = from.startsWith('leads') ? LEAD_COLUMNS : CALL_SUMMARY_COLUMNS;
    const { sql, params } = pageQuery(from, columns, where(), after, 50);
    const { rows } = await app.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const plan = nodes(rows[0]['QUERY PLAN'][0].Plan);
    const seq = plan.filter(
      (n) => n['Node Type'] === 'Seq Scan' && ['leads', 'calls'].includes(n['Relation Name'] ?? ''),
    );
    expect(seq).toEqual([]);
    expect(plan.some((n) => /Index|Bitmap/.test(n['Node Type']))).toBe(true);
  });
});
