import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { raceAtBarrier } from '../testing/race';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('agents and calls: lifecycle, idempotency, analytics', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let agentId: string;
  let leadId: string;
  /** Tenant A's calls, as the database holds them. */
  const count = async () =>
    (await owner.query('SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1', [a.tenantId]))
      .rows[0].n;
  const base = () => ({
    agentId,
    leadId,
    direction: 'outbound',
    fromNumber: '+14155550000',
    toNumber: '+14155550123',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    // eight deliveries of one tenant race at a barrier below: each may hold a connection at once
    t = await startTestApp(db, { DATABASE_POOL_TENANT_MAX: '10' });
    c = client(t.url);
    a = await signup(c, 'Calls');
    agentId = (
      await c.post(
        '/api/v1/agents',
        { name: 'Sally Sales', language: 'en-GB', dispositionCodes: ['callback', 'sold'] },
        a.token,
      )
    ).body.id;
    leadId = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550123', firstName: 'Lee' }, a.token),
      201,
    ).id;
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('agents', () => {
    it('applies the defaults of the design (max call 600 s, hang up on voicemail)', async () => {
      const res = await c.get(`/api/v1/agents/${agentId}`, a.token);
      expect(res.body).toMatchObject({
        name: 'Sally Sales',
        status: 'active',
        maxCallSeconds: 600,
        voicemailBehavior: 'hang_up',
        language: 'en-GB',
        dispositionCodes: ['callback', 'sold'],
      });
    });

    it('requires a voicemail message to leave one, on create and on patch', async () => {
      expect(
        (
          await c.post(
            '/api/v1/agents',
            { name: 'VM', voicemailBehavior: 'leave_message' },
            a.token,
          )
        ).status,
      ).toBe(400);
      const res = await c.patch(
        `/api/v1/agents/${agentId}`,
        { voicemailBehavior: 'leave_message' },
        a.token,
      );
      expect(res.status).toBe(400);
      expect((await c.get(`/api/v1/agents/${agentId}`, a.token)).body.voicemailBehavior).toBe(
        'hang_up',
      );
    });

    it.each([
      [{ name: '' }],
      [{ name: 'x', temperature: 3 }],
      [{ name: 'x', language: 'english please' }],
      [{ name: 'x', maxCallSeconds: 5 }],
      [{ name: 'x', status: 'deleted' }],
      [{ name: 'x', transferDestinations: [{ label: 'desk', phone: 'nope' }] }],
      [{ name: 'x', tenantId: '00000000-0000-0000-0000-000000000000' }],
      [{ name: "x'); DROP TABLE agents; --", systemPrompt: 'y'.repeat(20_001) }],
    ])('rejects %j with 400 and writes nothing', async (body) => {
      const before = (await owner.query('SELECT count(*)::int AS n FROM agents')).rows[0].n;
      expect((await c.post('/api/v1/agents', body, a.token)).status).toBe(400);
      expect((await owner.query('SELECT count(*)::int AS n FROM agents')).rows[0].n).toBe(before);
    });

    it('filters by status and name', async () => {
      const paused = (
        await c.post('/api/v1/agents', { name: 'Paused Pete', status: 'paused' }, a.token)
      ).body;
      const byStatus = await c.get('/api/v1/agents?status=paused', a.token);
      expect(byStatus.body.data.map((x: { id: string }) => x.id)).toEqual([paused.id]);
      const byName = await c.get('/api/v1/agents?q=SALLY', a.token);
      expect(byName.body.data.map((x: { id: string }) => x.id)).toEqual([agentId]);
    });

    it('leaves the archived agents out on request (archived=exclude), counted so too', async () => {
      const old = bodyOf(
        await c.post('/api/v1/agents', { name: 'Archived Arlo', status: 'archived' }, a.token),
        201,
      );
      const ids = (res: { body: { data: Array<{ id: string }> } }) =>
        res.body.data.map((x) => x.id);
      const all = bodyOf(await c.get('/api/v1/agents?limit=200', a.token), 200);
      expect(ids({ body: all })).toContain(old.id);
      const included = await c.get('/api/v1/agents?limit=200&archived=include', a.token);
      expect(ids(included)).toEqual(ids({ body: all }));
      const current = bodyOf(
        await c.get('/api/v1/agents?limit=200&archived=exclude', a.token),
        200,
      );
      expect(ids({ body: current })).not.toContain(old.id);
      expect(current.data.length).toBe(all.data.length - 1);
      expect(current.data.every((x: { status: string }) => x.status !== 'archived')).toBe(true);
      expect(current.total).toBe(all.total - 1);
      const none = await c.get('/api/v1/agents?status=archived&archived=exclude', a.token);
      expect(ids(none)).toEqual([]);
      expect((await c.get('/api/v1/agents?archived=no', a.token)).status).toBe(400);
    });

    it('lets an archived agent take no new calls (409)', async () => {
      const archived = (
        await c.post('/api/v1/agents', { name: 'Old', status: 'archived' }, a.token)
      ).body;
      const res = await c.post('/api/v1/calls', { ...base(), agentId: archived.id }, a.token);
      expect(res.status).toBe(409);
    });
  });

  describe('calls', () => {
    it('walks the lifecycle, derives timestamps and duration, and marks the lead contacted', async () => {
      const created = await c.post('/api/v1/calls', base(), a.token);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'queued',
        durationSeconds: null,
        transcript: [],
      });
      const id = created.body.id;
      expect(
        (await c.patch(`/api/v1/calls/${id}`, { status: 'ringing' }, a.token)).body.startedAt,
      ).not.toBeNull();
      const answered = await c.patch(
        `/api/v1/calls/${id}`,
        // ringing filled startedAt with now: a historical answeredAt needs its startedAt
        {
          status: 'in_progress',
          startedAt: '2026-01-01T09:59:50Z',
          answeredAt: '2026-01-01T10:00:00Z',
        },
        a.token,
      );
      expect(answered.status).toBe(200);
      const done = await c.patch(
        `/api/v1/calls/${id}`,
        {
          status: 'completed',
          endedAt: '2026-01-01T10:02:05Z',
          outcome: 'callback',
          sentiment: 'positive',
          cost: 0.42,
          summary: 'Asked to call back',
          transcript: [
            { role: 'agent', text: 'Hi Lee', startMs: 0 },
            { role: 'lead', text: 'Hello', startMs: 900 },
          ],
        },
        a.token,
      );
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'completed',
        durationSeconds: 125,
        cost: 0.42,
        outcome: 'callback',
      });
      const lead = await c.get(`/api/v1/leads/${leadId}`, a.token);
      expect(lead.body).toMatchObject({
        status: 'contacted',
        lastContactedAt: '2026-01-01T10:02:05.000Z',
      });
      const full = await c.get(`/api/v1/calls/${id}`, a.token);
      expect(full.body.transcript).toHaveLength(2);
    });

    it.each([
      ['queued', 'completed'],
      ['queued', 'voicemail'],
    ])('refuses %s -> %s with 409 and changes nothing', async (from, to) => {
      const id = bodyOf(
        await c.post('/api/v1/calls', { ...base(), status: from }, a.token),
        201,
      ).id;
      const res = await c.patch(`/api/v1/calls/${id}`, { status: to }, a.token);
      expect(res.status).toBe(409);
      expect((await c.get(`/api/v1/calls/${id}`, a.token)).body.status).toBe(from);
    });

    it('refuses to leave a terminal state', async () => {
      const id = bodyOf(
        await c.post('/api/v1/calls', { ...base(), status: 'ringing' }, a.token),
        201,
      ).id;
      expect((await c.patch(`/api/v1/calls/${id}`, { status: 'busy' }, a.token)).status).toBe(200);
      expect(
        (await c.patch(`/api/v1/calls/${id}`, { status: 'in_progress' }, a.token)).status,
      ).toBe(409);
    });

    it('records one call for concurrent duplicate deliveries of a provider call id', async () => {
      const body = { ...base(), provider: 'twilio', providerCallId: 'CA-dup-1' };
      // all 8 pass the "seen before?" read, then their INSERTs are released together
      const { results, heldTogether } = await raceAtBarrier(db, owner, 'calls', 8, () =>
        c.post('/api/v1/calls', body, a.token),
      );
      expect(heldTogether).toBe(8);
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      const n = await owner.query(
        `SELECT count(*)::int AS n FROM calls WHERE provider_call_id = 'CA-dup-1'`,
      );
      expect(n.rows[0].n).toBe(1);
    });

    it('a provider without its call id, or a call id without its provider: 400, nothing written', async () => {
      const before = await count();
      for (const half of [{ provider: 'twilio' }, { providerCallId: 'CA-half-1' }]) {
        const res = await c.post('/api/v1/calls', { ...base(), ...half }, a.token);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual(['provider and providerCallId go together']);
      }
      expect(await count()).toBe(before);
    });

    it('a time PostgreSQL cannot store (year 0): 400, not the 404 of a missing lead, nothing written', async () => {
      const before = await count();
      const res = await c.post(
        '/api/v1/calls',
        { ...base(), status: 'completed', startedAt: '0000-01-01T00:00:00.000Z' },
        a.token,
      );
      expect([res.status, res.body.message]).toEqual([400, 'a value is out of range or malformed']);
      expect(await count()).toBe(before);
    });

    it('a lead or an agent version the workspace does not have: 404 naming the field, nothing written', async () => {
      const before = await count();
      const noLead = await c.post(
        '/api/v1/calls',
        { ...base(), leadId: '00000000-0000-4000-8000-000000000001' },
        a.token,
      );
      expect([noLead.status, noLead.body.message]).toEqual([404, 'leadId: lead not found']);
      const noVersion = await c.post('/api/v1/calls', { ...base(), agentVersion: 999 }, a.token);
      expect([noVersion.status, noVersion.body.message]).toEqual([
        404,
        'agentVersion: this agent has no such version',
      ]);
      expect(await count()).toBe(before);
    });

    it('filters by status, direction, agent, lead and time', async () => {
      const list = async (qs: string) => (await c.get(`/api/v1/calls?${qs}`, a.token)).body.data;
      expect(
        (await list('status=completed')).every((x: { status: string }) => x.status === 'completed'),
      ).toBe(true);
      expect(await list('direction=inbound')).toEqual([]);
      expect((await list(`leadId=${leadId}`)).length).toBeGreaterThan(3);
      expect(await list('from=2999-01-01T00:00:00Z')).toEqual([]);
      expect((await list(`agentId=${agentId}&limit=2`)).length).toBe(2);
      expect(await list('to=2000-01-01T00:00:00Z')).toEqual([]);
      expect((await c.get('/api/v1/calls?status=weird', a.token)).status).toBe(400);
    });

    it('aggregates stats by status, outcome, agent and day', async () => {
      const res = await c.get('/api/v1/calls/stats', a.token);
      expect(res.status).toBe(200);
      const { totals, byStatus, byAgent, byDay, byOutcome } = res.body;
      const dbCount = (
        await owner.query('SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1', [a.tenantId])
      ).rows[0].n;
      expect(totals.calls).toBe(dbCount);
      expect(byStatus.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(dbCount);
      expect(byAgent[0]).toMatchObject({
        agentId,
        agentName: 'Sally Sales',
        calls: dbCount,
        connected: 1,
        totalCost: 0.42,
      });
      expect(byOutcome).toEqual(expect.arrayContaining([{ outcome: 'callback', count: 1 }]));
      expect(byDay.reduce((s: number, x: { calls: number }) => s + x.calls, 0)).toBe(dbCount);
      expect(totals.connectRate).toBeCloseTo(1 / dbCount, 3);
      expect(
        (
          await c.get(
            '/api/v1/calls/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
            a.token,
          )
        ).status,
      ).toBe(400);
    });

    it('refuses a time zone PostgreSQL does not know (400), so stats never fail on it', async () => {
      const { updatedAt: _, ...config } = (await c.get('/api/v1/tenant/config', a.token)).body;
      // in Node's zone database (ICU) but not in PostgreSQL's
      const res = await c.put(
        '/api/v1/tenant/config',
        { ...config, timezone: 'US/Pacific-New' },
        a.token,
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['timezone: unknown to the database: US/Pacific-New']);
      expect((await c.get('/api/v1/tenant/config', a.token)).body.timezone).toBe(config.timezone);
      expect((await c.get('/api/v1/calls/stats', a.token)).status).toBe(200);
      const paris = await c.put(
        '/api/v1/tenant/config',
        { ...config, timezone: 'Europe/Paris' },
        a.token,
      );
      expect(paris.status).toBe(200);
      expect((await c.get('/api/v1/calls/stats', a.token)).body.timezone).toBe('Europe/Paris');
    });

    it('deletes an agent without calls, refuses one with calls (409)', async () => {
      const spare = bodyOf(await c.post('/api/v1/agents', { name: 'Spare' }, a.token), 201).id;
      expect((await c.delete(`/api/v1/agents/${spare}`, a.token)).status).toBe(204);
      expect((await c.delete(`/api/v1/agents/${agentId}`, a.token)).status).toBe(409);
      expect((await c.get(`/api/v1/agents/${agentId}`, a.token)).status).toBe(200);
    });

    it('answers a repeated provider delivery with its call even after the agent was archived', async () => {
      const temp = bodyOf(await c.post('/api/v1/agents', { name: 'Temp' }, a.token), 201).id;
      const body = { ...base(), agentId: temp, provider: 'twilio', providerCallId: 'CA-arch-1' };
      const first = await c.post('/api/v1/calls', body, a.token);
      expect(first.status).toBe(201);
      expect(
        (await c.patch(`/api/v1/agents/${temp}`, { status: 'archived' }, a.token)).status,
      ).toBe(200);
      const again = await c.post('/api/v1/calls', body, a.token);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      // a new call for the archived agent is still refused
      const other = await c.post(
        '/api/v1/calls',
        { ...body, providerCallId: 'CA-arch-2' },
        a.token,
      );
      expect(other.status).toBe(409);
    });

    it('takes a date alone as a whole UTC day for from and to (lists and stats)', async () => {
      const made = await c.post('/api/v1/calls', base(), a.token);
      const day: string = made.body.createdAt.slice(0, 10);
      const shift = (days: number) =>
        new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const ids = async (qs: string) => {
        const res = await c.get(`/api/v1/calls?limit=200&${qs}`, a.token);
        expect(res.status).toBe(200);
        return res.body.data.map((x: { id: string }) => x.id);
      };
      expect(await ids(`from=${day}&to=${day}`)).toContain(made.body.id);
      expect(await ids(`to=${shift(-1)}`)).not.toContain(made.body.id);
      expect(await ids(`from=${shift(1)}`)).not.toContain(made.body.id);
      const stats = await c.get(`/api/v1/calls/stats?from=${day}&to=${day}`, a.token);
      expect(stats.status).toBe(200);
      expect(stats.body.totals.calls).toBeGreaterThanOrEqual(1);
      expect((await c.get('/api/v1/calls?from=2026-02-30', a.token)).status).toBe(400);
    });

    describe('timestamps and cost', () => {
      const newLead = async (phone: string) =>
        bodyOf(await c.post('/api/v1/leads', { phone, firstName: 'Tim' }, a.token), 201)
          .id as string;
      const callCount = async () =>
        (await owner.query('SELECT count(*)::int AS n FROM calls')).rows[0].n as number;
      const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
      const names = (field: string) =>
        expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]);

      it('refuses timestamps out of order or in the future on PATCH, against the stored call', async () => {
        const lead = await newLead('+14155550901');
        const made = await c.post(
          '/api/v1/calls',
          {
            ...base(),
            leadId: lead,
            status: 'in_progress',
            startedAt: '2026-01-02T10:00:00Z',
            answeredAt: '2026-01-02T10:00:10Z',
          },
          a.token,
        );
        expect(made.status).toBe(201);
        const id = made.body.id;
        const bad = await c.patch(
          `/api/v1/calls/${id}`,
          { status: 'completed', endedAt: inMinutes(60 * 24), startedAt: '2026-01-02T11:00:00Z' },
          a.token,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.message).toEqual(names('endedAt'));
        expect(bad.body.message).toEqual(names('startedAt'));
        // endedAt alone, before the stored answeredAt
        const early = await c.patch(
          `/api/v1/calls/${id}`,
          { endedAt: '2026-01-02T10:00:05Z' },
          a.token,
        );
        expect(early.status).toBe(400);
        expect(early.body.message).toEqual(names('endedAt'));
        const far = await c.patch(
          `/api/v1/calls/${id}`,
          { endedAt: '2099-01-01T00:00:00Z' },
          a.token,
        );
        expect(far.status).toBe(400);
        expect(far.body.message).toEqual(names('endedAt'));
        const after = (await c.get(`/api/v1/calls/${id}`, a.token)).body;
        expect(after).toMatchObject({
          status: 'in_progress',
          startedAt: '2026-01-02T10:00:00.000Z',
          answeredAt: '2026-01-02T10:00:10.000Z',
          endedAt: null,
        });
        expect((await c.get(`/api/v1/leads/${lead}`, a.token)).body.lastContactedAt).toBeNull();
        const done = await c.patch(
          `/api/v1/calls/${id}`,
          { status: 'completed', endedAt: '2026-01-02T10:01:10Z' },
          a.token,
        );
        expect(done.status).toBe(200);
        expect(done.body.durationSeconds).toBe(60);
        expect((await c.get(`/api/v1/leads/${lead}`, a.token)).body.lastContactedAt).toBe(
          '2026-01-02T10:01:10.000Z',
        );
      });

      it.each([
        [{ answeredAt: '2026-01-02T10:05:00Z', endedAt: '2026-01-02T10:01:00Z' }, 'endedAt'],
        [{ startedAt: '2026-01-02T10:05:00Z', endedAt: '2026-01-02T10:01:00Z' }, 'endedAt'],
        [{ startedAt: '2026-01-02T10:05:00Z', answeredAt: '2026-01-02T10:01:00Z' }, 'answeredAt'],
        [{ endedAt: '2099-01-01T00:00:00Z' }, 'endedAt'],
        [{ startedAt: 'in 10 minutes' }, 'startedAt'],
      ])('refuses a new call with %j (400 naming %s) and writes nothing', async (times, field) => {
        const body = Object.fromEntries(
          Object.entries(times).map(([k, v]) => [k, v === 'in 10 minutes' ? inMinutes(10) : v]),
        );
        const before = await callCount();
        const res = await c.post('/api/v1/calls', { ...base(), ...body }, a.token);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual(names(field));
        expect(await callCount()).toBe(before);
      });

      it('refuses a call longer than a day (its duration would overflow), naming the field sent', async () => {
        const long = await c.post(
          '/api/v1/calls',
          {
            ...base(),
            status: 'completed',
            startedAt: '1900-01-01T00:00:00Z',
            answeredAt: '1900-01-01T00:00:05Z',
            endedAt: '2026-01-02T10:00:00Z',
          },
          a.token,
        );
        expect(long.status).toBe(400);
        expect(long.body.message).toEqual([
          'endedAt: a call lasts at most 24 hours after answeredAt',
        ]);
        const made = await c.post(
          '/api/v1/calls',
          { ...base(), status: 'in_progress', answeredAt: '2026-01-02T10:00:00Z' },
          a.token,
        );
        const day = await c.patch(
          `/api/v1/calls/${made.body.id}`,
          { status: 'completed', endedAt: '2026-01-03T10:00:00Z' },
          a.token,
        );
        expect(day.status).toBe(200);
        expect(day.body.durationSeconds).toBe(86_400);
      });

      it('allows a small clock skew (a timestamp up to 5 minutes ahead)', async () => {
        const res = await c.post(
          '/api/v1/calls',
          { ...base(), status: 'ringing', startedAt: inMinutes(2) },
          a.token,
        );
        expect(res.status).toBe(201);
      });

      it('fills an implied timestamp with the next one given, not now (a call reported after it ended)', async () => {
        const ended = await c.post(
          '/api/v1/calls',
          { ...base(), status: 'completed', endedAt: '2026-01-03T10:00:00Z' },
          a.token,
        );
        expect(ended.status).toBe(201);
        expect(ended.body).toMatchObject({
          startedAt: '2026-01-03T10:00:00.000Z',
          answeredAt: '2026-01-03T10:00:00.000Z',
          endedAt: '2026-01-03T10:00:00.000Z',
          durationSeconds: 0,
        });
        const queued = await c.post('/api/v1/calls', base(), a.token);
        const failed = await c.patch(
          `/api/v1/calls/${queued.body.id}`,
          { status: 'failed', endedAt: '2026-01-03T10:01:00Z' },
          a.token,
        );
        expect(failed.status).toBe(200);
        expect(failed.body).toMatchObject({
          startedAt: '2026-01-03T10:01:00.000Z',
          answeredAt: null,
          endedAt: '2026-01-03T10:01:00.000Z',
        });
      });

      it('fills the timestamps the status of a new call implies', async () => {
        const lead = await newLead('+14155550902');
        const res = await c.post(
          '/api/v1/calls',
          { ...base(), leadId: lead, status: 'completed' },
          a.token,
        );
        expect(res.status).toBe(201);
        const call = res.body;
        expect(call.startedAt).not.toBeNull();
        expect(call.answeredAt).not.toBeNull();
        expect(call.endedAt).not.toBeNull();
        expect(call.durationSeconds).toBe(0);
        expect((await c.get(`/api/v1/leads/${lead}`, a.token)).body).toMatchObject({
          status: 'contacted',
          lastContactedAt: call.endedAt,
        });
        const ringing = (await c.post('/api/v1/calls', { ...base(), status: 'ringing' }, a.token))
          .body;
        expect(ringing.startedAt).not.toBeNull();
        expect(ringing).toMatchObject({ answeredAt: null, endedAt: null });
        // an explicit null stays null, as on PATCH
        const unknown = await c.post(
          '/api/v1/calls',
          { ...base(), status: 'ringing', startedAt: null },
          a.token,
        );
        expect(unknown.body.startedAt).toBeNull();
        const given = (
          await c.post(
            '/api/v1/calls',
            {
              ...base(),
              status: 'busy',
              startedAt: '2026-01-02T10:00:00Z',
              endedAt: '2026-01-02T10:00:20Z',
            },
            a.token,
          )
        ).body;
        expect(given).toMatchObject({
          startedAt: '2026-01-02T10:00:00.000Z',
          answeredAt: null,
          endedAt: '2026-01-02T10:00:20.000Z',
        });
      });

      it('refuses a cost with more than 4 decimal places (400), on create and on PATCH', async () => {
        const before = await callCount();
        const res = await c.post('/api/v1/calls', { ...base(), cost: 0.00004 }, a.token);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual(['cost: at most 4 decimal places']);
        expect(await callCount()).toBe(before);
        const made = await c.post('/api/v1/calls', { ...base(), cost: 0.42 }, a.token);
        expect(made.status).toBe(201);
        const bad = await c.patch(`/api/v1/calls/${made.body.id}`, { cost: 0.12345 }, a.token);
        expect(bad.status).toBe(400);
        expect(bad.body.message).toEqual(['cost: at most 4 decimal places']);
        expect((await c.get(`/api/v1/calls/${made.body.id}`, a.token)).body.cost).toBe(0.42);
        const ok = await c.patch(`/api/v1/calls/${made.body.id}`, { cost: 0.1235 }, a.token);
        expect(ok.body.cost).toBe(0.1235);
      });
    });
  });
});
