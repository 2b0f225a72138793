import type { Client as Pg } from 'pg';
import { Campaign } from '@acc/contracts';
import { signup } from '../testing/accounts';
import { CampaignEngine } from './campaign-engine.service';
import { bodyOf, client } from '../testing/http';
import { watchCallsInProgress } from '../testing/call-watch';
import { TestApp, startTestApp } from '../testing/test-app';
import { TenantShareTimeoutError } from '../tenancy/tenant-share';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS } from '../testing/webhook-receiver';

const ENGINE = { ...FAST_WEBHOOKS, SIMULATOR_STEP_MS: '30' };
const LEADS = 40;

/**
 * Two API instances with their workers on one database run one campaign:
 * every lead is called exactly once. Then both stop in the middle of
 * another campaign and a third instance, started afterwards, finishes it
 * from what the database holds.
 */
describe('the campaign engine with several workers, and across a restart', () => {
  let db: TestDatabase;
  let owner: Pg;
  let mostInProgress: (tenantId: string) => Promise<number>;
  const apps: TestApp[] = [];

  const callsPerLead = async (campaignId: string) =>
    (
      await owner.query(
        `SELECT cl.lead_id, cl.attempts, count(c.id)::int AS calls
           FROM campaign_leads cl LEFT JOIN calls c ON c.tenant_id = cl.tenant_id AND c.lead_id = cl.lead_id
          WHERE cl.campaign_id = $1 GROUP BY 1, 2`,
        [campaignId],
      )
    ).rows;

  const waitStatus = async (
    url: string,
    token: string,
    id: string,
    check: (c: Campaign) => boolean,
  ) => {
    const c = client(url);
    const until = Date.now() + 120_000;
    for (;;) {
      const campaign = Campaign.parse(bodyOf(await c.get(`/api/v1/campaigns/${id}`, token), 200));
      if (check(campaign)) return campaign;
      if (Date.now() > until) throw new Error(`campaign still ${JSON.stringify(campaign)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** A campaign of LEADS leads that all answer, in a new tenant with a cap of 10 calls. */
  const prepare = async (url: string, label: string) => {
    const c = client(url);
    const a = await signup(c, label);
    bodyOf(
      await c.put(
        '/api/v1/tenant/config',
        {
          timezone: 'UTC',
          callingWindowStart: '00:00',
          callingWindowEnd: '23:59',
          callingDays: [1, 2, 3, 4, 5, 6, 7],
          defaultAgentId: null,
          maxConcurrentCalls: 10,
          recordingEnabled: false,
        },
        a.token,
      ),
      200,
    );
    const agentId = bodyOf(await c.post('/api/v1/agents', { name: 'Ava' }, a.token), 201).id;
    const csv = ['phone,tags,simulate']
      .concat(
        Array.from({ length: LEADS }, (_, i) => `+1415555${String(1000 + i)},${label},interested`),
      )
      .join('\n');
    const imported = await fetch(`${url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
      body: csv,
    }).then((r) => r.json());
    expect(imported.inserted).toBe(LEADS);
    const made = bodyOf(
      await c.post(
        '/api/v1/campaigns',
        {
          name: label,
          agentId,
          leads: { tags: [label.toLowerCase()] },
          schedule: {
            days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            window: { start: '00:00', end: '23:59' },
          },
        },
        a.token,
      ),
      201,
    );
    return { a, id: made.id as string };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    mostInProgress = await watchCallsInProgress(owner);
    apps.push(await startTestApp(db, ENGINE), await startTestApp(db, ENGINE));
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await owner?.end();
    await db?.drop();
  });

  it('two workers on one database: every lead is called exactly once, never more than the cap at a time', async () => {
    const { a, id } = await prepare(apps[0].url, 'Shared');
    bodyOf(await client(apps[1].url).post(`/api/v1/campaigns/${id}/start`, {}, a.token), 200);
    // besides the rounds the job engine runs, rounds forced at once on both instances
    const engines = apps.map((x) => x.app.get(CampaignEngine));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        engines[i % 2]
          .round({ tenantId: a.tenantId, campaignId: id })
          // rounds of one tenant wait for each other; past the tenant's share of the
          // pool one is turned away (a job would run again later), which is not a failure
          .catch((e: unknown) => {
            if (!(e instanceof TenantShareTimeoutError)) throw e;
          }),
      ),
    );
    const done = await waitStatus(apps[0].url, a.token, id, (x) => x.status === 'completed');
    expect(done.progress).toMatchObject({ total: LEADS, completed: LEADS });
    const rows = await callsPerLead(id);
    expect(rows).toHaveLength(LEADS);
    expect(rows.filter((r) => r.calls !== 1 || r.attempts !== 1)).toEqual([]);
    expect(await mostInProgress(a.tenantId)).toBeLessThanOrEqual(10);
  });

  it('stopped in the middle, a campaign is finished by an instance started afterwards', async () => {
    const { a, id } = await prepare(apps[0].url, 'Restart');
    bodyOf(await client(apps[0].url).post(`/api/v1/campaigns/${id}/start`, {}, a.token), 200);
    const midway = await waitStatus(apps[0].url, a.token, id, (x) => x.progress.completed >= 5);
    while (apps.length) await (apps.pop() as TestApp).close();
    const stopped = (
      await owner.query(
        `SELECT count(*)::int AS n FROM campaign_leads WHERE campaign_id = $1 AND state = 'completed'`,
        [id],
      )
    ).rows[0].n;
    expect(stopped).toBeGreaterThanOrEqual(midway.progress.completed);
    expect(stopped).toBeLessThan(LEADS);
    apps.push(await startTestApp(db, ENGINE));
    const done = await waitStatus(apps[0].url, a.token, id, (x) => x.status === 'completed');
    expect(done.progress).toMatchObject({ total: LEADS, completed: LEADS });
    const rows = await callsPerLead(id);
    expect(rows.filter((r) => r.calls !== 1 || r.attempts !== 1)).toEqual([]);
  });
});
