import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Campaign, CampaignLeadPage, Eligibility } from '@acc/contracts';
import { Account, addMember, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('campaigns: definition, life cycle, lead states, eligibility (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let viewer: Account;
  let b: Account;
  let agentA: string;
  let agentB: string;
  let leadB: string;

  const agent = async (who: Account, name = 'Caller') =>
    bodyOf(await c.post('/api/v1/agents', { name }, who.token), 201).id as string;
  const lead = async (who: Account, body: Record<string, unknown>) =>
    bodyOf(await c.post('/api/v1/leads', body, who.token), 201).id as string;
  const create = async (who: Account, body: Record<string, unknown>) =>
    Campaign.parse(bodyOf(await c.post('/api/v1/campaigns', body, who.token), 201));
  const campaignRow = async (id: string) =>
    (await owner.query('SELECT * FROM campaigns WHERE id = $1', [id])).rows[0];
  const states = async (campaignId: string) =>
    (
      await owner.query(
        `SELECT l.phone, cl.state, cl.reason_code FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id
          WHERE cl.campaign_id = $1 ORDER BY l.phone`,
        [campaignId],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    // the definitions and life cycle alone: no worker runs the engine here (campaign-engine.api.spec.ts)
    t = await startTestApp(db, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      WORKER_IN_API: 'false',
    });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'Camp'), signup(c, 'Other')]);
    viewer = await addMember(c, smtp, a, 'viewer');
    [agentA, agentB] = await Promise.all([agent(a), agent(b)]);
    leadB = await lead(b, { phone: '+14155550300' });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('creating', () => {
    it("takes what it is not given from the workspace's settings: default agent, calling days and window", async () => {
      bodyOf(
        await c.put(
          '/api/v1/tenant/config',
          {
            timezone: 'America/Chicago',
            callingWindowStart: '08:30',
            callingWindowEnd: '17:00',
            callingDays: [1, 3, 5],
            defaultAgentId: agentA,
            maxConcurrentCalls: 4,
            recordingEnabled: true,
          },
          a.token,
        ),
        200,
      );
      const made = await create(a, { name: 'Spring', leads: { tags: ['spring'] } });
      expect(made).toMatchObject({
        name: 'Spring',
        agentId: agentA,
        status: 'draft',
        leads: { tags: ['spring'] },
        schedule: {
          startAt: null,
          endAt: null,
          days: ['mon', 'wed', 'fri'],
          window: { start: '08:30', end: '17:00' },
          timezone: 'lead',
        },
        maxConcurrentCalls: null,
        retry: { maxAttempts: 3, outcomes: ['no_answer', 'busy', 'failed'], delayMinutes: 60 },
        progress: { total: 0, waiting: 0, skipped: 0, skippedBy: {} },
        startedAt: null,
      });
      expect(bodyOf(await c.get(`/api/v1/campaigns/${made.id}`, viewer.token), 200)).toEqual(made);
    });

    it('keeps what it is given', async () => {
      const made = await create(a, {
        name: 'Explicit',
        agentId: agentA,
        leads: { ids: [await lead(a, { phone: '+14155550301' })] },
        schedule: {
          startAt: '2030-01-01T00:00:00Z',
          endAt: '2030-02-01T00:00:00Z',
          days: ['sat', 'sun'],
          window: { start: '10:00', end: '12:00' },
          timezone: 'Europe/Paris',
        },
        maxConcurrentCalls: 2,
        retry: { maxAttempts: 5, outcomes: ['voicemail'], delayMinutes: 15 },
      });
      expect(made.schedule).toEqual({
        startAt: '2030-01-01T00:00:00.000Z',
        endAt: '2030-02-01T00:00:00.000Z',
        days: ['sat', 'sun'],
        window: { start: '10:00', end: '12:00' },
        timezone: 'Europe/Paris',
      });
      expect(made).toMatchObject({
        maxConcurrentCalls: 2,
        retry: { maxAttempts: 5, outcomes: ['voicemail'], delayMinutes: 15 },
      });
    });

    const bad: Array<[string, Record<string, unknown>]> = [
      ['no name', { leads: {} }],
      ['no leads', { name: 'x' }],
      ['ids and a filter at once', { name: 'x', leads: { ids: [randomUUID()], status: 'new' } }],
      ['an empty id list', { name: 'x', leads: { ids: [] } }],
      [
        'a window that ends before it starts',
        { name: 'x', leads: {}, schedule: { window: { start: '18:00', end: '09:00' } } },
      ],
      ['a day twice', { name: 'x', leads: {}, schedule: { days: ['mon', 'mon'] } }],
      ['a day by number', { name: 'x', leads: {}, schedule: { days: [1] } }],
      ['an unknown zone', { name: 'x', leads: {}, schedule: { timezone: 'Mars/Olympus' } }],
      [
        'an end before the start',
        {
          name: 'x',
          leads: {},
          schedule: { startAt: '2030-02-01T00:00:00Z', endAt: '2030-01-01T00:00:00Z' },
        },
      ],
      ['a cap of 0', { name: 'x', leads: {}, maxConcurrentCalls: 0 }],
      [
        'an outcome that is not retried',
        {
          name: 'x',
          leads: {},
          retry: { maxAttempts: 2, outcomes: ['completed'], delayMinutes: 5 },
        },
      ],
      ['an unknown field', { name: 'x', leads: {}, status: 'running' }],
      ['a tenantId', { name: 'x', leads: {}, tenantId: randomUUID() }],
    ];
    it.each(bad)('refuses %s (400, nothing written)', async (_n, body) => {
      const count = async () =>
        (
          await owner.query('SELECT count(*)::int AS n FROM campaigns WHERE tenant_id = $1', [
            a.tenantId,
          ])
        ).rows[0].n;
      const before = await count();
      const res = await c.post('/api/v1/campaigns', body, a.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await count()).toBe(before);
    });

    it("without an agent and no default agent: 400; another tenant's agent: 404", async () => {
      const own = await signup(c, 'NoDefault');
      const res = await c.post('/api/v1/campaigns', { name: 'x', leads: {} }, own.token);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('agentId');
      const foreign = await c.post(
        '/api/v1/campaigns',
        { name: 'x', agentId: agentB, leads: {} },
        own.token,
      );
      expect(foreign.status).toBe(404);
    });

    it('a viewer may read, not write (403)', async () => {
      expect((await c.get('/api/v1/campaigns', viewer.token)).status).toBe(200);
      expect(
        (await c.post('/api/v1/campaigns', { name: 'v', leads: {} }, viewer.token)).status,
      ).toBe(403);
    });
  });

  describe('life cycle', () => {
    it('start freezes the leads the filter names then; later leads stay out', async () => {
      const own = await signup(c, 'Cycle');
      const ag = await agent(own);
      for (const [phone, tags] of [
        ['+14155550311', ['spring', 'vip']],
        ['+14155550312', ['spring']],
        ['+14155550313', ['vip']],
      ] as const)
        await lead(own, { phone, tags });
      const made = await create(own, {
        name: 'VIP spring',
        agentId: ag,
        leads: { tags: ['spring', 'vip'] },
      });
      const started = Campaign.parse(
        bodyOf(await c.post(`/api/v1/campaigns/${made.id}/start`, {}, own.token), 200),
      );
      expect(started.status).toBe('running');
      expect(started.startedAt).not.toBeNull();
      expect(started.progress).toMatchObject({ total: 1, waiting: 1 });
      await lead(own, { phone: '+14155550314', tags: ['spring', 'vip'] });
      expect((await states(made.id)).map((s) => s.phone)).toEqual(['+14155550311']);
      const raw = bodyOf(
        await c.get(`/api/v1/campaigns/${made.id}/leads?state=waiting`, own.token),
        200,
      );
      const page = CampaignLeadPage.parse(raw);
      expect(Object.keys(raw.data[0]).sort()).toEqual([
        'attempts',
        'lastCallId',
        'lastCallStatus',
        'lead',
        'leadId',
        'nextAttemptAt',
        'reason',
        'state',
      ]);
      expect(page.data).toEqual([
        expect.objectContaining({
          state: 'waiting',
          attempts: 0,
          lastCallId: null,
          lead: { firstName: null, lastName: null, phone: '+14155550311' },
        }),
      ]);
      expect(
        bodyOf(await c.get(`/api/v1/campaigns/${made.id}/leads?state=completed`, own.token), 200)
          .data,
      ).toEqual([]);
      const patched = await c.patch(
        `/api/v1/campaigns/${made.id}`,
        { leads: { tags: ['vip'] } },
        own.token,
      );
      expect(patched.status).toBe(409);
      expect(
        (await c.get(`/api/v1/campaigns/${made.id}/leads?state=bogus`, own.token)).status,
      ).toBe(400);
    });

    it('moves draft -> running -> paused -> running -> cancelled, and 409 from a state that does not allow an action', async () => {
      const own = await signup(c, 'States');
      const ag = await agent(own);
      const ids = [
        await lead(own, { phone: '+14155550321' }),
        await lead(own, { phone: '+14155550322' }),
      ];
      const made = await create(own, { name: 'States', agentId: ag, leads: { ids } });
      const act = (action: string) =>
        c.post(`/api/v1/campaigns/${made.id}/${action}`, {}, own.token);
      const expectConflict = async (action: string) => {
        const before = await campaignRow(made.id);
        const res = await act(action);
        expect({ action, status: res.status }).toEqual({ action, status: 409 });
        expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
        expect(await campaignRow(made.id)).toEqual(before);
      };
      await expectConflict('pause');
      await expectConflict('resume');
      expect(bodyOf(await act('start'), 200).status).toBe('running');
      await expectConflict('start');
      await expectConflict('resume');
      expect(bodyOf(await act('pause'), 200).status).toBe('paused');
      await expectConflict('pause');
      expect(bodyOf(await act('resume'), 200).status).toBe('running');
      const cancelled = Campaign.parse(bodyOf(await act('cancel'), 200));
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        progress: { total: 2, waiting: 0, skipped: 2, skippedBy: { cancelled: 2 } },
      });
      expect(cancelled.finishedAt).not.toBeNull();
      for (const action of ['start', 'pause', 'resume', 'cancel']) await expectConflict(action);
      const patched = await c.patch(`/api/v1/campaigns/${made.id}`, { name: 'again' }, own.token);
      expect(patched.status).toBe(409);
    });

    it('a filter that names no lead cannot start (409, still a draft)', async () => {
      const made = await create(a, { name: 'Nobody', leads: { tags: ['nobody-has-this'] } });
      const res = await c.post(`/api/v1/campaigns/${made.id}/start`, {}, a.token);
      expect(res.status).toBe(409);
      expect((await campaignRow(made.id)).status).toBe('draft');
    });

    it('PATCH changes the schedule, caps and retries of a running campaign; merges the schedule', async () => {
      const own = await signup(c, 'Patch');
      const ag = await agent(own);
      await lead(own, { phone: '+14155550331' });
      const made = await create(own, {
        name: 'P',
        agentId: ag,
        leads: {},
        schedule: { days: ['mon'] },
      });
      bodyOf(await c.post(`/api/v1/campaigns/${made.id}/start`, {}, own.token), 200);
      const patched = Campaign.parse(
        bodyOf(
          await c.patch(
            `/api/v1/campaigns/${made.id}`,
            { schedule: { window: { start: '07:00', end: '08:00' } }, maxConcurrentCalls: 9 },
            own.token,
          ),
          200,
        ),
      );
      expect(patched.schedule).toMatchObject({
        days: ['mon'],
        window: { start: '07:00', end: '08:00' },
      });
      expect(patched.maxConcurrentCalls).toBe(9);
      const reversed = await c.patch(
        `/api/v1/campaigns/${made.id}`,
        { schedule: { startAt: '2031-01-01T00:00:00Z', endAt: '2030-01-01T00:00:00Z' } },
        own.token,
      );
      expect(reversed.status).toBe(400);
    });

    it('putting a number on the do-not-call list stops its pending attempts in every campaign', async () => {
      const own = await signup(c, 'Stop');
      const ag = await agent(own);
      await lead(own, { phone: '+14155550341' });
      await lead(own, { phone: '+14155550342' });
      const one = await create(own, { name: 'one', agentId: ag, leads: {} });
      const two = await create(own, { name: 'two', agentId: ag, leads: {} });
      for (const x of [one, two])
        bodyOf(await c.post(`/api/v1/campaigns/${x.id}/start`, {}, own.token), 200);
      bodyOf(await c.post('/api/v1/dnc', { phone: '+1 415 555 0341' }, own.token), 201);
      for (const x of [one, two])
        expect(await states(x.id)).toEqual([
          { phone: '+14155550341', state: 'skipped', reason_code: 'do_not_call' },
          { phone: '+14155550342', state: 'waiting', reason_code: null },
        ]);
      const progress = bodyOf(await c.get(`/api/v1/campaigns/${one.id}`, own.token), 200).progress;
      expect(progress).toMatchObject({
        total: 2,
        waiting: 1,
        skipped: 1,
        skippedBy: { do_not_call: 1 },
      });
    });
  });

  describe('eligibility', () => {
    it("explains in the lead's local time, and names the do-not-call entry", async () => {
      const own = await signup(c, 'Why');
      const ag = await agent(own);
      // a window that is never open: every day, 00:00-00:01 in the lead's zone
      const id = await lead(own, { phone: '+14155550351', timezone: 'America/Chicago' });
      const made = await create(own, {
        name: 'Never',
        agentId: ag,
        leads: { ids: [id] },
        schedule: {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          window: { start: '00:00', end: '00:01' },
        },
      });
      const draft = Eligibility.parse(
        bodyOf(
          await c.get(`/api/v1/leads/${id}/eligibility?campaignId=${made.id}`, own.token),
          200,
        ),
      );
      expect(draft.reasons).toContain('the campaign has not started');
      expect(draft.nextEligibleAt).toBeNull();
      bodyOf(await c.post(`/api/v1/campaigns/${made.id}/start`, {}, own.token), 200);
      const running = Eligibility.parse(
        bodyOf(
          await c.get(`/api/v1/leads/${id}/eligibility?campaignId=${made.id}`, own.token),
          200,
        ),
      );
      expect(running.timezone).toEqual({ zone: 'America/Chicago', source: 'lead' });
      const local = running.localTime.slice(11);
      if (local >= '00:00' && local < '00:01') {
        // the one minute of the day the window is open
        expect(running.eligible).toBe(true);
      } else {
        expect(running.eligible).toBe(false);
        expect(running.reasons).toEqual([`${local} in America/Chicago, window 00:00-00:01`]);
        const next = new Date(running.nextEligibleAt as string);
        expect(next.getTime()).toBeGreaterThan(Date.now());
        expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
      }
      bodyOf(
        await c.post('/api/v1/dnc', { phone: '+14155550351', reason: 'asked' }, own.token),
        201,
      );
      const listed = Eligibility.parse(
        bodyOf(await c.get(`/api/v1/leads/${id}/eligibility`, own.token), 200),
      );
      expect(listed.eligible).toBe(false);
      expect(listed.reasons.find((r) => r.startsWith('on the do-not-call list since'))).toMatch(
        /\(asked\)$/,
      );
      expect(listed.nextEligibleAt).toBeNull();
    });

    it("without a campaign: the workspace's zone when the lead has none and its number spans zones", async () => {
      const own = await signup(c, 'TenantZone');
      const id = await lead(own, { phone: '+14155550361' });
      const r = Eligibility.parse(
        bodyOf(await c.get(`/api/v1/leads/${id}/eligibility`, own.token), 200),
      );
      expect(r.timezone).toEqual({ zone: 'UTC', source: 'tenant' });
      const uk = await lead(own, { phone: '+442079460958' });
      const rUk = Eligibility.parse(
        bodyOf(await c.get(`/api/v1/leads/${uk}/eligibility`, own.token), 200),
      );
      expect(rUk.timezone).toEqual({ zone: 'Europe/London', source: 'phone' });
    });

    it('a lead marked do not call, and a lead not in the campaign', async () => {
      const own = await signup(c, 'Marked');
      const ag = await agent(own);
      const id = await lead(own, { phone: '+14155550371', status: 'do_not_call' });
      const other = await lead(own, { phone: '+14155550372' });
      const made = await create(own, { name: 'M', agentId: ag, leads: { ids: [id] } });
      bodyOf(await c.post(`/api/v1/campaigns/${made.id}/start`, {}, own.token), 200);
      const marked = bodyOf(
        await c.get(`/api/v1/leads/${id}/eligibility?campaignId=${made.id}`, own.token),
        200,
      );
      expect(marked.reasons).toContain('the lead is marked do not call');
      const outside = bodyOf(
        await c.get(`/api/v1/leads/${other}/eligibility?campaignId=${made.id}`, own.token),
        200,
      );
      expect(outside.reasons).toContain("not in this campaign's lead list");
    });
  });

  describe('another tenant', () => {
    let campaignB: string;
    let n = 0;
    beforeAll(async () => {
      campaignB = (await create(b, { name: 'B', agentId: agentB, leads: { ids: [leadB] } })).id;
    });
    const snapshotB = async () =>
      JSON.stringify(
        (
          await owner.query(
            `SELECT (SELECT json_agg(x) FROM campaigns x WHERE tenant_id = $1) AS c,
                    (SELECT json_agg(x) FROM campaign_leads x WHERE tenant_id = $1) AS l`,
            [b.tenantId],
          )
        ).rows[0],
      );
    const routes: Array<[string, string, (id: string) => string, unknown]> = [
      ['GET', 'campaign', (id) => `/api/v1/campaigns/${id}`, undefined],
      ['PATCH', 'campaign', (id) => `/api/v1/campaigns/${id}`, { name: 'hijacked' }],
      ['POST', 'start', (id) => `/api/v1/campaigns/${id}/start`, {}],
      ['POST', 'pause', (id) => `/api/v1/campaigns/${id}/pause`, {}],
      ['POST', 'resume', (id) => `/api/v1/campaigns/${id}/resume`, {}],
      ['POST', 'cancel', (id) => `/api/v1/campaigns/${id}/cancel`, {}],
      ['GET', 'leads', (id) => `/api/v1/campaigns/${id}/leads`, undefined],
      [
        'GET',
        'eligibility of own lead in',
        (id) => `/api/v1/leads/${'LEAD'}/eligibility?campaignId=${id}`,
        undefined,
      ],
    ];
    it.each(routes)(
      "%s %s with B's campaign id: 404 like a random id, B untouched",
      async (method, _n, path, body) => {
        const ownLead = await lead(a, { phone: `+1415555${String(4000 + routes.length + n++)}` });
        const before = await snapshotB();
        const at = (id: string) => path(id).replace('LEAD', ownLead);
        const theirs = await c.call(method, at(campaignB), { token: a.token, body });
        const random = await c.call(method, at(randomUUID()), { token: a.token, body });
        expect([theirs.status, random.status]).toEqual([404, 404]);
        expect({ ...theirs.body, requestId: undefined }).toEqual({
          ...random.body,
          requestId: undefined,
        });
        expect(await snapshotB()).toBe(before);
      },
    );

    it("Call now with B's lead, or B's agent: 404 like a random id, no call made", async () => {
      const calls = async () =>
        (await owner.query('SELECT count(*)::int AS n FROM calls')).rows[0].n;
      const before = await calls();
      const theirs = await c.post(`/api/v1/leads/${leadB}/call`, { agentId: agentA }, a.token);
      const random = await c.post(
        `/api/v1/leads/${randomUUID()}/call`,
        { agentId: agentA },
        a.token,
      );
      expect([theirs.status, random.status]).toEqual([404, 404]);
      expect({ ...theirs.body, requestId: undefined }).toEqual({
        ...random.body,
        requestId: undefined,
      });
      const ownLead = await lead(a, { phone: '+14155550399' });
      const withAgent = await c.post(
        `/api/v1/leads/${ownLead}/call`,
        { agentId: agentB, overrideWindow: true },
        a.token,
      );
      expect(withAgent.status).toBe(404);
      expect(await calls()).toBe(before);
    });

    it("B's lead: eligibility 404 like a random id; B's agent or leads in a campaign of A: 404 or nothing", async () => {
      const theirs = await c.get(`/api/v1/leads/${leadB}/eligibility`, a.token);
      const random = await c.get(`/api/v1/leads/${randomUUID()}/eligibility`, a.token);
      expect([theirs.status, random.status]).toEqual([404, 404]);
      expect({ ...theirs.body, requestId: undefined }).toEqual({
        ...random.body,
        requestId: undefined,
      });
      const withAgent = await c.post(
        '/api/v1/campaigns',
        { name: 'x', agentId: agentB, leads: {} },
        a.token,
      );
      expect(withAgent.status).toBe(404);
      // B's lead id in A's list freezes nothing: there is no such lead in A
      const made = await create(a, {
        name: 'Foreign ids',
        agentId: agentA,
        leads: { ids: [leadB] },
      });
      expect((await c.post(`/api/v1/campaigns/${made.id}/start`, {}, a.token)).status).toBe(409);
      const listed = bodyOf(await c.get('/api/v1/campaigns?limit=200', a.token), 200);
      expect(listed.data.map((x: Campaign) => x.id)).not.toContain(campaignB);
    });
  });
});
