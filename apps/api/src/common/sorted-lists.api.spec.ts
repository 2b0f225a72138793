import type { Client as Pg } from 'pg';
import { AGENT_SORT_KEYS, CALL_SORT_KEYS, LEAD_SORT_KEYS } from '@acc/contracts';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

interface Page {
  data: Array<{ id: string }>;
  nextCursor: string | null;
  total: number | null;
}

/** A row as the test sorts it: its sort value, its creation time as exact text, its id. */
interface Keyed {
  id: string;
  value: string | number;
  createdAt: string;
}

const ISO_US = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Each sort key's value of every row, read as the owner and computed here,
 * not with the API's SQL: the name as the console shows it, a call with no
 * duration as -1.
 */
const VALUES: Record<string, Record<string, string>> = {
  leads: {
    createdAt: `''`,
    name: `coalesce(nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''), phone)`,
    status: 'status',
  },
  calls: { createdAt: `''`, duration: 'duration_seconds', status: 'status' },
  agents: {
    createdAt: `''`,
    name: 'name',
    status: 'status',
    updatedAt: ISO_US.replace('created_at', 'updated_at'),
  },
};

function compare(a: Keyed, b: Keyed): number {
  const lower = (v: string | number) => (typeof v === 'string' ? v.toLowerCase() : v);
  const [x, y] = [lower(a.value), lower(b.value)];
  if (x !== y) return x < y ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Sorted lists (issue 15 item 5): every sort key of leads, calls and agents,
 * both directions, paged three rows at a time over rows with ties on the
 * sort value and on the creation time; the total; 400 for unknown keys and
 * for a cursor of another order; another tenant sees none of the rows.
 */
describe('sorted lists: sort keys with keyset pages and a total', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    c = client(t.url);
    [a, b] = [await signup(c, 'Sorted'), await signup(c, 'Other')];
    // three creation times for 13 rows of each table, names and statuses that repeat
    // (in other cases too), some leads with no name (sorted by their phone)
    const at = (i: number) => `2026-03-0${1 + (i % 3)}T09:00:00.123456Z`;
    const names = ['ada', 'Ada', 'bea', 'Cy', 'bea', null];
    for (let i = 0; i < 13; i++) {
      await owner.query(
        `INSERT INTO agents (tenant_id, name, voice, llm_provider, llm_model, status, created_at, updated_at)
         VALUES ($1, $2, 'alloy', 'openai', 'gpt-4o-mini', $3, $4, $5)`,
        [a.tenantId, names[i % 5], ['active', 'paused', 'archived'][i % 3], at(i), at(i + 1)],
      );
    }
    const [agent] = (
      await owner.query('SELECT id FROM agents WHERE tenant_id = $1 LIMIT 1', [a.tenantId])
    ).rows;
    for (let i = 0; i < 13; i++) {
      const name = names[i % 6];
      const [{ id: leadId }] = (
        await owner.query(
          `INSERT INTO leads (tenant_id, phone, first_name, last_name, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            a.tenantId,
            `+1415555${String(3100 + i)}`,
            name,
            i % 4 === 0 && name ? 'Lovelace' : null,
            ['new', 'qualified', 'contacted', 'new'][i % 4],
            at(i),
          ],
        )
      ).rows;
      // durations 0, 30, 30, 95 s and none (a call still ringing)
      const seconds = [0, 30, 30, 95, null][i % 5];
      const ended = seconds !== null;
      await owner.query(
        `INSERT INTO calls (tenant_id, agent_id, lead_id, direction, status, from_number, to_number,
                            started_at, answered_at, ended_at, created_at)
         VALUES ($1, $2, $3, 'outbound', $4, '+14155550000', '+14155550001', $5::timestamptz,
                 CASE WHEN $6 THEN $5::timestamptz END,
                 CASE WHEN $6 THEN $5::timestamptz + make_interval(secs => $7) END, $5::timestamptz)`,
        [a.tenantId, agent.id, leadId, ended ? 'completed' : 'ringing', at(i), ended, seconds ?? 0],
      );
    }
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  /** Every row of tenant A in the order `sort` asks, computed from the stored values. */
  const expected = async (table: string, sort: string, where = ''): Promise<string[]> => {
    const key = sort.replace(/^-/, '');
    const { rows } = await owner.query<Keyed>(
      `SELECT id, ${VALUES[table][key]} AS value, ${ISO_US} AS "createdAt"
         FROM ${table} WHERE tenant_id = $1 ${where}`,
      [a.tenantId],
    );
    const keyed = rows.map((r) => ({ ...r, value: r.value ?? -1 }));
    keyed.sort(compare);
    if (sort.startsWith('-')) keyed.reverse();
    return keyed.map((r) => r.id);
  };

  /** Pages through a list, three rows a page; answers the ids in order and each page's total. */
  const pageThrough = async (path: string, token = a.token) => {
    const ids: string[] = [];
    const totals: Array<number | null> = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Page = bodyOf(
        await c.get(`${path}${sep}limit=3${cursor ? `&cursor=${cursor}` : ''}`, token),
        200,
      );
      expect(page.data.length).toBeLessThanOrEqual(3);
      ids.push(...page.data.map((r) => r.id));
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, totals };
  };

  const lists: Array<[string, readonly string[]]> = [
    ['leads', LEAD_SORT_KEYS],
    ['calls', CALL_SORT_KEYS],
    ['agents', AGENT_SORT_KEYS],
  ];
  const cases = lists.flatMap(([table, keys]) =>
    keys.flatMap((k) => [`-${k}`, k].map((sort) => [table, sort] as const)),
  );

  it.each(cases)(
    '%s?sort=%s: every row once, in order, across pages; the total on the first',
    async (table, sort) => {
      const want = await expected(table, sort);
      expect(want.length).toBe(13);
      const { ids, totals } = await pageThrough(`/api/v1/${table}?sort=${sort}`);
      expect(ids).toEqual(want);
      expect(totals).toEqual([13, null, null, null, null]);
    },
  );

  it('without sort, the order and cursors of before: newest first', async () => {
    const { ids } = await pageThrough('/api/v1/leads');
    expect(ids).toEqual(await expected('leads', '-createdAt'));
    expect((await pageThrough('/api/v1/leads?sort=-createdAt')).ids).toEqual(ids);
  });

  it('sorts within the filters, and the total counts what they match', async () => {
    const { ids, totals } = await pageThrough('/api/v1/leads?status=new&sort=name');
    expect(ids).toEqual(await expected('leads', 'name', `AND status = 'new'`));
    expect(totals[0]).toBe(7);
    const calls = await pageThrough('/api/v1/calls?status=completed&sort=-duration');
    expect(calls.ids).toEqual(await expected('calls', '-duration', `AND status = 'completed'`));
    expect(calls.totals[0]).toBe(11);
    const agents = bodyOf(await c.get('/api/v1/agents?q=BEA&sort=name', a.token), 200);
    expect(agents.total).toBe(5);
    expect(agents.data.map((r: { name: string }) => r.name)).toEqual(Array(5).fill('bea'));
  });

  it.each(['phone', '-', 'createdAt,name', '--name', 'NAME', 'duration'])(
    'answers sort=%s with 400 naming the keys',
    async (sort) => {
      const res = await c.get(`/api/v1/leads?sort=${encodeURIComponent(sort)}`, a.token);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(
        'must be one of createdAt, -createdAt, name, -name, status, -status',
      );
    },
  );

  it('answers a cursor made for another order with 400 saying which', async () => {
    const cursorOf = async (path: string) =>
      bodyOf(await c.get(path, a.token), 200).nextCursor as string;
    const byName = await cursorOf('/api/v1/leads?sort=name&limit=2');
    const newest = await cursorOf('/api/v1/leads?limit=2');
    const byDuration = await cursorOf('/api/v1/calls?sort=duration&limit=2');
    const tries: Array<[string, string]> = [
      [`/api/v1/leads?sort=-name&cursor=${byName}`, 'made for sort=name, not sort=-name'],
      [`/api/v1/leads?cursor=${byName}`, 'made for sort=name, not sort=-createdAt'],
      [`/api/v1/leads?sort=name&cursor=${newest}`, 'made for sort=-createdAt, not sort=name'],
      [
        `/api/v1/calls?sort=-duration&cursor=${byDuration}`,
        'made for sort=duration, not sort=-duration',
      ],
    ];
    for (const [path, message] of tries) {
      const res = await c.get(path, a.token);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
    }
  });

  it.each([
    ['not JSON', '[name'],
    ['too few values', JSON.stringify(['name', 'ada'])],
    [
      'a value of the wrong type',
      JSON.stringify(['name', 'ada', 'yesterday', '00000000-0000-4000-8000-000000000000']),
    ],
    [
      'an id that is no uuid',
      JSON.stringify(['name', 'ada', '2026-03-01T09:00:00.123456Z', "x' OR 1=1"]),
    ],
    [
      'a NUL character',
      JSON.stringify([
        'name',
        'a\u0000',
        '2026-03-01T09:00:00.123456Z',
        '00000000-0000-4000-8000-000000000000',
      ]),
    ],
    [
      'a duration past int',
      JSON.stringify([
        'duration',
        '99999999999',
        '2026-03-01T09:00:00.123456Z',
        '00000000-0000-4000-8000-000000000000',
      ]),
    ],
    ['no sort', JSON.stringify([1, 2, 3])],
  ])('answers a forged cursor (%s) with 400, never a query', async (_what, text) => {
    const cursor = Buffer.from(text, 'utf8').toString('base64url');
    const list = text.includes('duration') ? 'calls?sort=duration' : 'leads?sort=name';
    const res = await c.get(`/api/v1/${list}&cursor=${cursor}`, a.token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('cursor:');
  });

  it("another tenant's token sees none of the rows, in any order, with any cursor", async () => {
    for (const [table, sort] of cases) {
      const res = bodyOf(await c.get(`/api/v1/${table}?sort=${sort}`, b.token), 200);
      expect(res).toEqual({ data: [], nextCursor: null, total: 0 });
      const cursor = bodyOf(
        await c.get(`/api/v1/${table}?sort=${sort}&limit=1`, a.token),
        200,
      ).nextCursor;
      const later = bodyOf(
        await c.get(`/api/v1/${table}?sort=${sort}&cursor=${cursor}`, b.token),
        200,
      );
      expect(later).toEqual({ data: [], nextCursor: null, total: null });
    }
  });
});
