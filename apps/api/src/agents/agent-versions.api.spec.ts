import type { Client as Pg } from 'pg';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

describe('agent versions: numbered on each change of behaviour, restored as a new version', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let viewer: Account;
  let member: Account;
  let agentId: string;
  const versions = (id = agentId, token = a.token, query = '') =>
    c.get(`/api/v1/agents/${id}/versions${query}`, token);
  const rowsOf = async (id: string) =>
    (
      await owner.query(
        'SELECT version, config, created_by, created_by_key, restored_from FROM agent_versions WHERE agent_id = $1 ORDER BY version',
        [id],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'Versions'), signup(c, 'Elsewhere')]);
    [viewer, member] = await Promise.all([
      addMember(c, smtp, a, 'viewer'),
      addMember(c, smtp, a, 'member', 'memberperson'),
    ]);
    agentId = bodyOf(
      await c.post(
        '/api/v1/agents',
        { name: 'Sally', systemPrompt: 'Be brief.', firstMessage: 'Hi!' },
        a.token,
      ),
      201,
    ).id;
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  it('a new agent is version 1, by the person who created it, with no changes', async () => {
    expect(bodyOf(await c.get(`/api/v1/agents/${agentId}`, a.token), 200).version).toBe(1);
    const page = bodyOf(await versions(), 200);
    expect(page).toEqual({
      data: [
        {
          version: 1,
          createdAt: expect.any(String),
          createdBy: { type: 'user', id: a.userId, name: 'Versions Owner' },
          restoredFrom: null,
          current: true,
          changes: {},
        },
      ],
      nextCursor: null,
    });
  });

  it('a change of name or status makes no version; a change of prompt makes version 2 with its diff', async () => {
    bodyOf(
      await c.patch(`/api/v1/agents/${agentId}`, { name: 'Sally S', status: 'paused' }, a.token),
      200,
    );
    expect(await rowsOf(agentId)).toHaveLength(1);
    const patched = bodyOf(
      await c.patch(
        `/api/v1/agents/${agentId}`,
        { systemPrompt: 'Be brief and kind.', temperature: 0.5, status: 'active' },
        member.token,
      ),
      200,
    );
    expect(patched.version).toBe(2);
    const v2 = bodyOf(await c.get(`/api/v1/agents/${agentId}/versions/2`, a.token), 200);
    expect(v2).toMatchObject({
      version: 2,
      current: true,
      restoredFrom: null,
      createdBy: { type: 'user', id: member.userId },
      changes: { systemPrompt: ['Be brief.', 'Be brief and kind.'], temperature: [0.7, 0.5] },
      config: { systemPrompt: 'Be brief and kind.', firstMessage: 'Hi!', temperature: 0.5 },
    });
    expect(Object.keys(v2.changes).sort()).toEqual(['systemPrompt', 'temperature']);
    const v1 = bodyOf(await c.get(`/api/v1/agents/${agentId}/versions/1`, a.token), 200);
    expect(v1).toMatchObject({ version: 1, current: false, changes: {} });
    expect(v1.config.systemPrompt).toBe('Be brief.');
    // saving the same values again is no change
    bodyOf(
      await c.patch(`/api/v1/agents/${agentId}`, { systemPrompt: 'Be brief and kind.' }, a.token),
      200,
    );
    expect(await rowsOf(agentId)).toHaveLength(2);
  });

  it('a change refused by the voicemail rule writes no version (same transaction)', async () => {
    const res = await c.patch(
      `/api/v1/agents/${agentId}`,
      { voicemailBehavior: 'leave_message', systemPrompt: 'changed' },
      a.token,
    );
    expect(res.status).toBe(400);
    expect(await rowsOf(agentId)).toHaveLength(2);
    expect(bodyOf(await c.get(`/api/v1/agents/${agentId}`, a.token), 200).version).toBe(2);
  });

  it('restore makes a new version equal to n, marked as restored; the same again is a 409', async () => {
    const res = await c.post(`/api/v1/agents/${agentId}/versions/1/restore`, {}, member.token);
    const v3 = bodyOf(res, 201);
    expect(v3).toMatchObject({
      version: 3,
      current: true,
      restoredFrom: 1,
      changes: { systemPrompt: ['Be brief and kind.', 'Be brief.'], temperature: [0.5, 0.7] },
    });
    const rows = await rowsOf(agentId);
    expect(rows[2].config).toEqual(rows[0].config);
    const agent = bodyOf(await c.get(`/api/v1/agents/${agentId}`, a.token), 200);
    expect(agent).toMatchObject({ version: 3, systemPrompt: 'Be brief.', temperature: 0.7 });
    // version 1's configuration is the current one already (3), as is 3 itself
    expect((await c.post(`/api/v1/agents/${agentId}/versions/1/restore`, {}, a.token)).status).toBe(
      409,
    );
    expect((await c.post(`/api/v1/agents/${agentId}/versions/3/restore`, {}, a.token)).status).toBe(
      409,
    );
    expect(await rowsOf(agentId)).toHaveLength(3);
  });

  it('an API key is recorded as the author of the version it made', async () => {
    const key = await createApiKey(c, a, 'member', { name: 'CRM sync' });
    const patched = bodyOf(
      await c.patch(`/api/v1/agents/${agentId}`, { firstMessage: 'Hello there!' }, key.key),
      200,
    );
    const v = bodyOf(
      await c.get(`/api/v1/agents/${agentId}/versions/${patched.version}`, a.token),
      200,
    );
    expect(v.createdBy).toEqual({ type: 'api_key', id: key.id, name: 'CRM sync' });
    const created = bodyOf(await c.post('/api/v1/agents', { name: 'By key' }, key.key), 201);
    const first = bodyOf(await versions(created.id), 200).data[0];
    expect(first.createdBy).toEqual({ type: 'api_key', id: key.id, name: 'CRM sync' });
    // the key's name is not written over an older version
    const rows = await rowsOf(agentId);
    expect(rows.filter((r) => r.created_by_key === key.id).map((r) => r.version)).toEqual([
      patched.version,
    ]);
  });

  it('lists newest first in pages', async () => {
    const first = bodyOf(await versions(agentId, a.token, '?limit=2'), 200);
    expect(first.data.map((v: { version: number }) => v.version)).toEqual([4, 3]);
    expect(first.nextCursor).toBe('3');
    const next = bodyOf(
      await versions(agentId, a.token, `?limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect(next.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(next.nextCursor).toBeNull();
    // each still shows its changes from the one before, across the page boundary
    expect(Object.keys(next.data[0].changes).sort()).toEqual(['systemPrompt', 'temperature']);
  });

  it('a viewer reads versions but cannot restore (403, nothing written)', async () => {
    expect((await versions(agentId, viewer.token)).status).toBe(200);
    const res = await c.post(`/api/v1/agents/${agentId}/versions/2/restore`, {}, viewer.token);
    expect(res.status).toBe(403);
    expect(await rowsOf(agentId)).toHaveLength(4);
  });

  it("another tenant gets 404 for the versions of A's agent, and restores nothing", async () => {
    const list = await versions(agentId, b.token);
    const one = await c.get(`/api/v1/agents/${agentId}/versions/1`, b.token);
    const restore = await c.post(`/api/v1/agents/${agentId}/versions/2/restore`, {}, b.token);
    expect([list.status, one.status, restore.status]).toEqual([404, 404, 404]);
    expect(JSON.stringify([list.body, one.body, restore.body])).not.toContain('Be brief');
    expect(await rowsOf(agentId)).toHaveLength(4);
    // and B's own list holds only B's agents' versions
    const own = bodyOf(await c.post('/api/v1/agents', { name: 'B agent' }, b.token), 201);
    expect(bodyOf(await versions(own.id, b.token), 200).data).toHaveLength(1);
  });

  it.each([
    ['versions/abc', 400],
    ['versions/0', 400],
    ['versions/1.5', 400],
    ['versions/99', 404],
    ['versions?cursor=abc', 400],
    ['versions?limit=0', 400],
  ])('GET .../%s answers %i', async (path, status) => {
    const res = await c.get(`/api/v1/agents/${agentId}/${path}`, a.token);
    expect(res.status).toBe(status);
    expect(res.body.statusCode).toBe(status);
  });

  it('an unknown agent is a 404, a malformed id a 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await versions(unknown)).status).toBe(404);
    expect((await c.get(`/api/v1/agents/${unknown}/versions/1`, a.token)).status).toBe(404);
    expect((await c.post(`/api/v1/agents/nope/versions/1/restore`, {}, a.token)).status).toBe(400);
  });

  describe('calls record the version they ran with', () => {
    const call = (extra: Record<string, unknown>) =>
      c.post(
        '/api/v1/calls',
        {
          agentId,
          direction: 'outbound',
          fromNumber: '+14155550000',
          toNumber: '+14155550123',
          ...extra,
        },
        a.token,
      );

    it('the current version when none is given; the given one; an unknown one is a 404', async () => {
      const current = bodyOf(await c.get(`/api/v1/agents/${agentId}`, a.token), 200).version;
      expect(bodyOf(await call({}), 201).agentVersion).toBe(current);
      expect(bodyOf(await call({ agentVersion: 2 }), 201).agentVersion).toBe(2);
      const unknown = await call({ agentVersion: 99 });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toMatch(/agentVersion/);
      expect((await call({ agentVersion: 0 })).status).toBe(400);
    });

    it('a call reported as started earlier gets the version current then', async () => {
      const [v2] = (
        await owner.query(
          'SELECT created_at FROM agent_versions WHERE agent_id = $1 AND version = 2',
          [agentId],
        )
      ).rows;
      const startedAt = new Date(new Date(v2.created_at).getTime() + 1).toISOString();
      const res = await call({ status: 'in_progress', startedAt });
      expect(bodyOf(res, 201).agentVersion).toBe(2);
      const before = await call({ status: 'in_progress', startedAt: '2020-01-01T00:00:00Z' });
      expect(bodyOf(before, 201).agentVersion).toBe(1);
    });
  });

  describe('GET /calls/stats?groupBy=agentVersion: the figures of each version', () => {
    let x: string;
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const call = (extra: Record<string, unknown>, token = a.token) =>
      c.post(
        '/api/v1/calls',
        {
          agentId: x,
          direction: 'outbound',
          fromNumber: '+14155550000',
          toNumber: '+14155550123',
          ...extra,
        },
        token,
      );
    const answered = (seconds: number, outcome: string, cost: number) => ({
      status: 'completed',
      startedAt: ago(600),
      answeredAt: ago(590),
      endedAt: ago(590 - seconds),
      outcome,
      cost,
    });

    beforeAll(async () => {
      x = bodyOf(await c.post('/api/v1/agents', { name: 'Xavier' }, a.token), 201).id;
      // version 1: two calls, one answered (60 s, sold, 0.5) and one not
      bodyOf(await call({ ...answered(60, 'sold', 0.5), agentVersion: 1 }), 201);
      bodyOf(await call({ status: 'no_answer', agentVersion: 1 }), 201);
      bodyOf(await c.patch(`/api/v1/agents/${x}`, { systemPrompt: 'Sell more.' }, a.token), 200);
      // version 2: two answered calls (30 s and 90 s)
      bodyOf(await call({ ...answered(30, 'sold', 0.25), agentVersion: 2 }), 201);
      bodyOf(await call({ ...answered(90, 'callback', 0.75), agentVersion: 2 }), 201);
    });

    it('calls, connect rate, outcomes, average duration and cost per version, and the change', async () => {
      const res = await c.get(`/api/v1/calls/stats?groupBy=agentVersion&agentId=${x}`, a.token);
      const stats = bodyOf(res, 200);
      expect(stats.totals).toMatchObject({ calls: 4, connected: 3 });
      expect(stats.byAgentVersion).toEqual([
        {
          agentId: x,
          agentName: 'Xavier',
          version: 2,
          versionCreatedAt: expect.any(String),
          calls: 2,
          connected: 2,
          connectRate: 1,
          avgDurationSeconds: 60,
          totalCost: 1,
          outcomes: [
            { outcome: 'callback', count: 1 },
            { outcome: 'sold', count: 1 },
          ],
        },
        {
          agentId: x,
          agentName: 'Xavier',
          version: 1,
          versionCreatedAt: expect.any(String),
          calls: 2,
          connected: 1,
          connectRate: 0.5,
          avgDurationSeconds: 60,
          totalCost: 0.5,
          outcomes: [{ outcome: 'sold', count: 1 }],
        },
      ]);
      expect(stats.versionChanges).toEqual([
        { agentId: x, agentName: 'Xavier', version: 2, at: expect.any(String) },
      ]);
    });

    it('without groupBy the answer is as before; a bad groupBy is a 400', async () => {
      const plain = bodyOf(await c.get(`/api/v1/calls/stats?agentId=${x}`, a.token), 200);
      expect(plain.byAgentVersion).toBeUndefined();
      expect(plain.byAgent).toHaveLength(1);
      expect((await c.get('/api/v1/calls/stats?groupBy=lead', a.token)).status).toBe(400);
      expect((await c.get('/api/v1/calls/stats?agentId=nope', a.token)).status).toBe(400);
    });

    it("another tenant gets 404 for A's agent, and none of A's versions in its own figures", async () => {
      const res = await c.get(`/api/v1/calls/stats?groupBy=agentVersion&agentId=${x}`, b.token);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Xavier');
      const own = bodyOf(await c.get('/api/v1/calls/stats?groupBy=agentVersion', b.token), 200);
      expect([own.byAgentVersion, own.versionChanges]).toEqual([[], []]);
    });
  });
});
