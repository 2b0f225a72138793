import { Phone } from '@acc/contracts';
import type { Client as Pg } from 'pg';
import { login } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { DEMO_AREA_CODES } from './demo-data';
import { SeedService } from './seed.service';

/** The demo tenant a newcomer signs in to: its leads must be usable through the API's own rules. */
describe('seed: the demo tenant', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let token: string;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    c = client(t.url);
    const demo = await t.app.get(SeedService).seedDemo();
    token = await login(c, demo.email, demo.password);
    const [row] = (await owner.query(`SELECT id FROM tenants WHERE name = $1`, [demo.tenantName]))
      .rows;
    tenantId = row.id;
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('every seeded phone passes the contracts Phone rule, already in E.164, none lost to a clash', async () => {
    const { rows } = await owner.query<{ phone: string }>(
      `SELECT phone FROM leads WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(rows).toHaveLength(300);
    const invalid = rows.filter((r) => {
      const p = Phone.safeParse(r.phone);
      return !p.success || p.data !== r.phone;
    });
    expect(invalid).toEqual([]);
    expect(rows.every((r) => /^\+1\d{3}55501\d{2}$/.test(r.phone))).toBe(true);
  });

  it('every area code the seed can pick makes a valid number', () => {
    for (const area of DEMO_AREA_CODES) {
      for (const line of ['0100', '0199']) {
        expect(Phone.safeParse(`+1${area}555${line}`)).toMatchObject({ success: true });
      }
    }
  });

  it('leads agree with their calls as the API would have left them: contacted once a call completed, added before their first call', async () => {
    const { rows } = await owner.query(
      `SELECT l.status, l.created_at <= min(c.started_at) AS "addedFirst",
              l.last_contacted_at = max(c.ended_at) FILTER (WHERE c.status = 'completed') AS "lastContact",
              bool_or(c.status = 'completed') AS completed
         FROM leads l JOIN calls c ON c.tenant_id = l.tenant_id AND c.lead_id = l.id
        WHERE l.tenant_id = $1 GROUP BY l.tenant_id, l.id`,
      [tenantId],
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => !r.addedFirst)).toEqual([]);
    const completed = rows.filter((r) => r.completed);
    expect(completed.filter((r) => r.status === 'new' || r.lastContact !== true)).toEqual([]);
  });

  it('a seeded lead can be edited: status and tags saved, the phone sent back unchanged accepted', async () => {
    const list = await c.get('/api/v1/leads?status=new&limit=1', token);
    expect(list.status).toBe(200);
    const lead = list.body.data[0];
    const patched = await c.patch(
      `/api/v1/leads/${lead.id}`,
      { status: 'qualified', tags: ['vip', 'edited'] },
      token,
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'qualified', tags: ['vip', 'edited'] });
    const resent = await c.patch(`/api/v1/leads/${lead.id}`, { phone: lead.phone }, token);
    expect(resent.status).toBe(200);
  });

  it('seeding again gives the demo login a new password and ends every earlier demo token (README)', async () => {
    expect((await c.get('/api/v1/auth/me', token)).status).toBe(200);
    const again = await t.app.get(SeedService).seedDemo({ agents: 1, leads: 3, calls: 3, days: 1 });
    expect((await c.get('/api/v1/auth/me', token)).status).toBe(401);
    const fresh = await login(c, again.email, again.password);
    expect((await c.get('/api/v1/auth/me', fresh)).status).toBe(200);
  });
});
