import type { Client as Pg } from 'pg';
import { Campaign } from '@acc/contracts';
import { Account, addMember, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { watchCallsInProgress } from '../testing/call-watch';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Open all day, every day: the tests about other rules must not depend on the clock. */
const ALWAYS = { days: ALL_DAYS, window: { start: '00:00', end: '23:59' }, timezone: 'UTC' };
const ENGINE = { ...FAST_WEBHOOKS, SIMULATOR_STEP_MS: '40' };

/** Polls until `check` holds (the engine runs on its own); fails with the last value seen. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let v = await read();
  while (!check(v)) {
    if (Date.now() > until) throw new Error(`still not there: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

describe('the campaign engine on the simulator (real HTTP, PostgreSQL, job engine)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let mostInProgress: (tenantId: string) => Promise<number>;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let rx: Receiver;

  const agent = async (who: Account, body: Record<string, unknown> = {}) =>
    bodyOf(await c.post('/api/v1/agents', { name: 'Ava', ...body }, who.token), 201).id as string;
  const lead = async (who: Account, body: Record<string, unknown>) =>
    bodyOf(await c.post('/api/v1/leads', body, who.token), 201).id as string;
  const config = (who: Account, over: Record<string, unknown> = {}) =>
    c.put(
      '/api/v1/tenant/config',
      {
        timezone: 'UTC',
        callingWindowStart: '00:00',
        callingWindowEnd: '23:59',
        callingDays: [1, 2, 3, 4, 5, 6, 7],
        defaultAgentId: null,
        maxConcurrentCalls: 5,
        recordingEnabled: true,
        ...over,
      },
      who.token,
    );
  const campaign = async (who: Account, body: Record<string, unknown>) =>
    Campaign.parse(
      bodyOf(await c.post('/api/v1/campaigns', { schedule: ALWAYS, ...body }, who.token), 201),
    );
  const start = async (who: Account, id: string) =>
    bodyOf(await c.post(`/api/v1/campaigns/${id}/start`, {}, who.token), 200);
  const status = async (who: Account, id: string) =>
    Campaign.parse(bodyOf(await c.get(`/api/v1/campaigns/${id}`, who.token), 200));
  const completed = (who: Account, id: string) =>
    eventually(
      () => status(who, id),
      (x) => x.status === 'completed',
    );
  const callsOf = async (tenantId: string) =>
    (
      await owner.query(
        `SELECT c.*, l.phone AS lead_phone FROM calls c JOIN leads l ON l.id = c.lead_id
          WHERE c.tenant_id = $1 ORDER BY c.created_at`,
        [tenantId],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    mostInProgress = await watchCallsInProgress(owner);
    smtp = await startSmtpCatcher();
    rx = await startReceiver();
    t = await startTestApp(db, {
      ...ENGINE,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    });
    c = client(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('runs a campaign to completion: outcomes drive the lead states, a do-not-call disposition lists the number, events go out', async () => {
    const a = await signup(c, 'Run');
    bodyOf(await config(a), 200);
    const ag = await agent(a, {
      systemPrompt: 'You sell solar panels politely.',
      firstMessage: 'Hi, this is Ava from Sunny.',
      voice: 'nova',
      llmModel: 'gpt-4o',
    });
    const hook = bodyOf(
      await c.post(
        '/api/v1/webhooks',
        {
          url: rx.url('/campaigns'),
          events: ['campaign.started', 'campaign.completed'],
        },
        a.token,
      ),
      201,
    );
    rx.expect('/campaigns', hook.secret);
    const phones = {
      interested: '+14155550401',
      busy: '+14155550402',
      do_not_call: '+14155550403',
      voicemail: '+14155550404',
    };
    for (const [simulate, phone] of Object.entries(phones))
      await lead(a, { phone, tags: ['run'], customFields: { simulate } });
    const made = await campaign(a, {
      name: 'Run',
      agentId: ag,
      leads: { tags: ['run'] },
      retry: { maxAttempts: 2, outcomes: ['no_answer'], delayMinutes: 30 },
    });
    await start(a, made.id);
    const done = await completed(a, made.id);
    expect(done.progress).toEqual({
      total: 4,
      waiting: 0,
      scheduled: 0,
      dialing: 0,
      completed: 2,
      failed: 2,
      skipped: 0,
      skippedBy: {},
    });
    expect(done.finishedAt).not.toBeNull();

    const calls = await callsOf(a.tenantId);
    expect(calls.map((x) => [x.lead_phone, x.status, x.outcome]).sort()).toEqual(
      [
        [phones.interested, 'completed', 'interested'],
        [phones.busy, 'busy', null],
        [phones.do_not_call, 'completed', 'do_not_call'],
        [phones.voicemail, 'voicemail', null],
      ].sort(),
    );
    const reached = calls.find((x) => x.lead_phone === phones.interested);
    expect(reached).toMatchObject({
      direction: 'outbound',
      agent_id: ag,
      from_number: '+15550000000',
    });
    expect(reached.duration_seconds).toBeGreaterThanOrEqual(0);
    expect(reached.recording_url).toMatch(/^https:\/\//);
    const transcript = JSON.stringify(reached.transcript);
    for (const carried of [
      'You sell solar panels politely.',
      'Hi, this is Ava from Sunny.',
      'nova',
      'gpt-4o',
    ])
      expect(transcript).toContain(carried);

    const leads = bodyOf(
      await c.get(`/api/v1/campaigns/${made.id}/leads?limit=10`, a.token),
      200,
    ).data;
    const byPhone = Object.fromEntries(
      leads.map((l: { lead: { phone: string } }) => [l.lead.phone, l]),
    );
    expect(byPhone[phones.busy]).toMatchObject({
      state: 'failed',
      attempts: 1,
      reason: 'busy (not retried)',
    });
    expect(byPhone[phones.interested]).toMatchObject({
      state: 'completed',
      lastCallStatus: 'completed',
    });

    const dnc = bodyOf(await c.get('/api/v1/dnc', a.token), 200).data;
    expect(dnc).toEqual([
      expect.objectContaining({
        phone: phones.do_not_call,
        createdBy: {
          type: 'call',
          id: calls.find((x) => x.lead_phone === phones.do_not_call).id,
          name: null,
        },
      }),
    ]);
    const events = await eventually(
      async () => rx.received.filter((r) => r.path === '/campaigns').map((r) => r.verified?.type),
      (types) => types.includes('campaign.completed'),
    );
    expect(events).toEqual(['campaign.started', 'campaign.completed']);
  });

  it('retries an outcome the campaign retries after its delay, then gives up: "2 of 2 attempts used"', async () => {
    const a = await signup(c, 'Retry');
    bodyOf(await config(a), 200);
    const ag = await agent(a);
    const id = await lead(a, { phone: '+14155550411', customFields: { simulate: 'no_answer' } });
    const made = await campaign(a, {
      name: 'Retry',
      agentId: ag,
      leads: { ids: [id] },
      retry: { maxAttempts: 2, outcomes: ['no_answer'], delayMinutes: 30 },
    });
    await start(a, made.id);
    const row = async () =>
      (await owner.query('SELECT * FROM campaign_leads WHERE campaign_id = $1', [made.id])).rows[0];
    const waiting = await eventually(row, (r) => r.state === 'scheduled');
    expect(waiting.attempts).toBe(1);
    const ended = (await callsOf(a.tenantId))[0];
    expect(Date.parse(waiting.next_attempt_at) - Date.parse(ended.ended_at)).toBe(30 * 60_000);
    const why = bodyOf(
      await c.get(`/api/v1/leads/${id}/eligibility?campaignId=${made.id}`, a.token),
      200,
    );
    expect(why.reasons[0]).toMatch(/^next attempt not before .* \(30 min after the last\)$/);
    // half an hour later: the call ended then, and the attempt is due
    await owner.query(
      `UPDATE calls SET created_at = created_at - interval '31 minutes', started_at = started_at - interval '31 minutes',
              ended_at = ended_at - interval '31 minutes' WHERE id = $1`,
      [ended.id],
    );
    await owner.query(`UPDATE campaign_leads SET next_attempt_at = now() WHERE campaign_id = $1`, [
      made.id,
    ]);
    await owner.query(
      `SELECT graphile_worker.add_job('campaign_tick', json_build_object('tenantId', $1::uuid, 'campaignId', $2::uuid),
                                      job_key => 'campaign_tick:' || $2)`,
      [a.tenantId, made.id],
    );
    const done = await completed(a, made.id);
    expect(done.progress).toMatchObject({ total: 1, failed: 1 });
    expect(await row()).toMatchObject({
      state: 'failed',
      attempts: 2,
      reason: 'no answer; 2 of 2 attempts used',
    });
    expect(await callsOf(a.tenantId)).toHaveLength(2);
  });

  it("never has more calls in progress than the workspace's cap (counted from the calls table)", async () => {
    const a = await signup(c, 'Cap');
    bodyOf(await config(a, { maxConcurrentCalls: 2 }), 200);
    const ag = await agent(a);
    for (let i = 0; i < 6; i++)
      await lead(a, {
        phone: `+1415555042${i}`,
        tags: ['cap'],
        customFields: { simulate: 'interested' },
      });
    const made = await campaign(a, { name: 'Cap', agentId: ag, leads: { tags: ['cap'] } });
    await start(a, made.id);
    await completed(a, made.id);
    expect(await mostInProgress(a.tenantId)).toBeLessThanOrEqual(2);
    expect(await callsOf(a.tenantId)).toHaveLength(6);
  });

  it('calls nobody outside the window: the leads are scheduled for its opening, with why', async () => {
    const a = await signup(c, 'Closed');
    bodyOf(await config(a), 200);
    const ag = await agent(a);
    const id = await lead(a, { phone: '+14155550431', timezone: 'Asia/Tokyo' });
    // a one-minute window twelve hours away from now in Tokyo
    const tokyoHour = (new Date().getUTCHours() + 9 + 12) % 24;
    const hh = String(tokyoHour).padStart(2, '0');
    const made = await campaign(a, {
      name: 'Closed',
      agentId: ag,
      leads: { ids: [id] },
      schedule: {
        days: ALL_DAYS,
        window: { start: `${hh}:00`, end: `${hh}:01` },
        timezone: 'lead',
      },
    });
    await start(a, made.id);
    const row = await eventually(
      async () =>
        (await owner.query('SELECT * FROM campaign_leads WHERE campaign_id = $1', [made.id]))
          .rows[0],
      (r) => r.state === 'scheduled',
    );
    expect(row.reason).toMatch(
      new RegExp(`^\\d\\d:\\d\\d in Asia/Tokyo, window ${hh}:00-${hh}:01$`),
    );
    expect(Date.parse(row.next_attempt_at)).toBeGreaterThan(Date.now() + 10 * 3_600_000);
    expect(await callsOf(a.tenantId)).toEqual([]);
    expect((await status(a, made.id)).status).toBe('running');
  });

  it('pause stops new calls (the one in progress ends), resume carries on to the end', async () => {
    const a = await signup(c, 'Pause');
    bodyOf(await config(a, { maxConcurrentCalls: 1 }), 200);
    const ag = await agent(a);
    for (let i = 0; i < 3; i++)
      await lead(a, {
        phone: `+1415555044${i}`,
        tags: ['pause'],
        customFields: { simulate: 'interested' },
      });
    const made = await campaign(a, { name: 'Pause', agentId: ag, leads: { tags: ['pause'] } });
    await start(a, made.id);
    await eventually(
      () => callsOf(a.tenantId),
      (calls) => calls.length === 1,
    );
    bodyOf(await c.post(`/api/v1/campaigns/${made.id}/pause`, {}, a.token), 200);
    const first = await eventually(
      () => callsOf(a.tenantId),
      (calls) => calls[0]?.status === 'completed',
    );
    expect(first).toHaveLength(1);
    // a round would run within the heartbeat; a paused campaign's round places nothing
    await owner.query(
      `SELECT graphile_worker.add_job('campaign_tick', json_build_object('tenantId', $1::uuid, 'campaignId', $2::uuid),
                                      job_key => 'paused-round:' || $2)`,
      [a.tenantId, made.id],
    );
    await eventually(
      async () =>
        (
          await owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [
            `paused-round:${made.id}`,
          ])
        ).rows[0].n,
      (n) => n === 0,
    );
    expect(await callsOf(a.tenantId)).toHaveLength(1);
    // the ended call's lead is settled by a job of its own, soon after the call ends
    const paused = await eventually(
      () => status(a, made.id),
      (x) => x.progress.completed === 1,
    );
    expect(paused.progress).toMatchObject({ completed: 1, waiting: 2 });
    expect(await callsOf(a.tenantId)).toHaveLength(1);
    bodyOf(await c.post(`/api/v1/campaigns/${made.id}/resume`, {}, a.token), 200);
    await completed(a, made.id);
    expect(await callsOf(a.tenantId)).toHaveLength(3);
  });

  it('with recording off, no recording URL is stored, from the simulator or from the API', async () => {
    const a = await signup(c, 'Quiet');
    const ag = await agent(a);
    bodyOf(await config(a, { recordingEnabled: false, defaultAgentId: ag }), 200);
    const id = await lead(a, { phone: '+14155550461', customFields: { simulate: 'interested' } });
    const placed = bodyOf(await c.post(`/api/v1/leads/${id}/call`, {}, a.token), 202);
    const call = await eventually(
      async () => bodyOf(await c.get(`/api/v1/calls/${placed.id}`, a.token), 200),
      (x) => x.status === 'completed',
    );
    expect(call.recordingUrl).toBeNull();
    const patched = bodyOf(
      await c.patch(
        `/api/v1/calls/${call.id}`,
        { recordingUrl: 'https://rec.example.com/1.wav' },
        a.token,
      ),
      200,
    );
    expect(patched.recordingUrl).toBeNull();
    bodyOf(await config(a, { recordingEnabled: true, defaultAgentId: ag }), 200);
    const kept = bodyOf(
      await c.patch(
        `/api/v1/calls/${call.id}`,
        { recordingUrl: 'https://rec.example.com/1.wav' },
        a.token,
      ),
      200,
    );
    expect(kept.recordingUrl).toBe('https://rec.example.com/1.wav');
  });

  describe('"Call now"', () => {
    let a: Account;
    let member: Account;
    let ag: string;
    beforeAll(async () => {
      a = await signup(c, 'Now');
      member = await addMember(c, smtp, a, 'member');
      ag = await agent(a);
    });

    it('places a call through the dialer: 202 with the queued call, which then runs', async () => {
      bodyOf(await config(a, { defaultAgentId: ag }), 200);
      const id = await lead(a, { phone: '+14155550451', customFields: { simulate: 'callback' } });
      const res = await c.post(`/api/v1/leads/${id}/call`, {}, member.token);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        status: 'queued',
        leadId: id,
        agentId: ag,
        toNumber: '+14155550451',
      });
      const call = await eventually(
        async () => bodyOf(await c.get(`/api/v1/calls/${res.body.id}`, a.token), 200),
        (x) => x.status === 'completed',
      );
      expect(call.outcome).toBe('callback');
    });

    it('never a do-not-call number (409 with the reason), not even an admin outside the window', async () => {
      const id = await lead(a, { phone: '+14155550452' });
      bodyOf(await c.post('/api/v1/dnc', { phone: '+14155550452', reason: 'asked' }, a.token), 201);
      for (const [who, body] of [
        [member, {}],
        [a, { overrideWindow: true }],
      ] as const) {
        const res = await c.post(`/api/v1/leads/${id}/call`, body, who.token);
        expect(res.status).toBe(409);
        expect(res.body.message).toEqual([
          expect.stringMatching(/^on the do-not-call list since .* \(asked\)$/),
        ]);
      }
      expect(
        (await owner.query('SELECT count(*)::int AS n FROM calls WHERE lead_id = $1', [id])).rows[0]
          .n,
      ).toBe(0);
    });

    it('outside the calling days: 409 for everyone; an admin may override it, a member may not (403)', async () => {
      const today = ((new Date().getUTCDay() + 6) % 7) + 1;
      const otherDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
      bodyOf(await config(a, { defaultAgentId: ag, callingDays: otherDays }), 200);
      const id = await lead(a, { phone: '+14155550453', customFields: { simulate: 'interested' } });
      const refused = await c.post(`/api/v1/leads/${id}/call`, {}, member.token);
      expect(refused.status).toBe(409);
      expect(refused.body.message[0]).toMatch(/ in UTC, calling days /);
      expect(
        (await c.post(`/api/v1/leads/${id}/call`, { overrideWindow: true }, member.token)).status,
      ).toBe(403);
      const forced = await c.post(`/api/v1/leads/${id}/call`, { overrideWindow: true }, a.token);
      expect(forced.status).toBe(202);
    });

    it('one call per lead at a time: a call in progress (from anywhere) holds the next one', async () => {
      bodyOf(await config(a, { defaultAgentId: ag }), 200);
      const id = await lead(a, { phone: '+14155550454' });
      const ongoing = bodyOf(
        await c.post(
          '/api/v1/calls',
          {
            agentId: ag,
            leadId: id,
            direction: 'outbound',
            status: 'in_progress',
            fromNumber: '+14155550000',
            toNumber: '+14155550454',
          },
          a.token,
        ),
        201,
      );
      const res = await c.post(`/api/v1/leads/${id}/call`, {}, a.token);
      expect(res.status).toBe(409);
      expect(res.body.message).toEqual(['another call to this lead is in progress']);
      bodyOf(await c.patch(`/api/v1/calls/${ongoing.id}`, { status: 'completed' }, a.token), 200);
      expect((await c.post(`/api/v1/leads/${id}/call`, {}, a.token)).status).toBe(202);
    });
  });
});
