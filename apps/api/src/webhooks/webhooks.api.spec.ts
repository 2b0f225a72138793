import { randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';
import { vapiEndOfCallReport, vapiStatusUpdate } from '../testing/provider-payloads';
import { LeadsService } from '../leads/leads.service';
import { Db } from '../tenancy/db.service';
import { WebhookDispatcher } from './webhook-dispatcher.service';

describe('webhooks: endpoints, signed deliveries from the outbox, retries, the delivery log', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let rx: Receiver;
  let agentId: string;
  let phone = 4_155_550_000;

  const nextPhone = () => `+1${++phone}`;
  const addEndpoint = async (who: Account, path: string, events: string[]) => {
    const w = bodyOf(
      await c.post('/api/v1/webhooks', { url: rx.url(path), events }, who.token),
      201,
    );
    rx.expect(path, w.secret);
    return w as { id: string; secret: string };
  };
  const deliveries = async (who: Account, endpointId: string) =>
    bodyOf(await c.get(`/api/v1/webhooks/${endpointId}/deliveries`, who.token), 200).data;
  const waitForLog = async (
    who: Account,
    endpointId: string,
    done: (d: Array<Record<string, unknown>>) => boolean,
  ) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const log = await deliveries(who, endpointId);
      if (done(log)) return log;
      if (Date.now() > deadline) throw new Error(`delivery log: ${JSON.stringify(log)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    rx = await startReceiver();
    t = await startTestApp(db, {
      ...FAST_WEBHOOKS,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    });
    c = client(t.url);
    a = await signup(c, 'Hooks');
    b = await signup(c, 'Other');
    agentId = bodyOf(await c.post('/api/v1/agents', { name: 'Closer' }, a.token), 201).id;
  });

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  afterEach(() => rx.answerWith((_r, res) => res.end('ok')));

  it('creates an endpoint with its whsec_ secret shown once; lists, reads, changes and deletes it', async () => {
    const created = await c.post(
      '/api/v1/webhooks',
      { url: 'https://hooks.example.com/acc', events: ['lead.created', 'call.ended'] },
      a.token,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://hooks.example.com/acc',
      events: ['lead.created', 'call.ended'],
      enabled: true,
      description: null,
      disabledReason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = created.body.id;

    const listed = bodyOf(await c.get('/api/v1/webhooks', a.token), 200);
    expect(listed.data.map((w: { id: string }) => w.id)).toContain(id);
    const one = bodyOf(await c.get(`/api/v1/webhooks/${id}`, a.token), 200);
    expect(one).not.toHaveProperty('secret');
    expect(JSON.stringify(listed)).not.toContain(created.body.secret);

    const patched = bodyOf(
      await c.patch(
        `/api/v1/webhooks/${id}`,
        { description: 'CRM', events: ['lead.updated'], enabled: false },
        a.token,
      ),
      200,
    );
    expect(patched).toMatchObject({ description: 'CRM', events: ['lead.updated'], enabled: false });

    const rotated = bodyOf(await c.post(`/api/v1/webhooks/${id}/rotate-secret`, {}, a.token), 200);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.body.secret);

    expect((await c.delete(`/api/v1/webhooks/${id}`, a.token)).status).toBe(204);
    expect((await c.get(`/api/v1/webhooks/${id}`, a.token)).status).toBe(404);
  });

  it('stores the secret sealed: the plaintext is nowhere in the row, after create and after rotate', async () => {
    const row = async (id: string) =>
      (
        await owner.query(
          `SELECT w::text AS whole, secret, secret_box FROM webhook_endpoints w
            WHERE tenant_id = $1 AND id = $2`,
          [a.tenantId, id],
        )
      ).rows;
    const sealed = async (id: string, secret: string) => {
      const rows = await row(id);
      expect(rows).toHaveLength(1);
      const [{ whole, secret: plain, secret_box: box }] = rows;
      const key = secret.slice('whsec_'.length);
      expect([
        plain,
        whole.includes(key),
        whole.includes(Buffer.from(secret).toString('hex')),
      ]).toEqual([null, false, false]);
      expect((box as Buffer).includes(Buffer.from(secret))).toBe(false);
      expect((box as Buffer).includes(Buffer.from(key, 'base64'))).toBe(false);
      return box as Buffer;
    };
    const w = await addEndpoint(a, '/sealed', ['lead.created']);
    const first = await sealed(w.id, w.secret);
    const rotated = bodyOf(
      await c.post(`/api/v1/webhooks/${w.id}/rotate-secret`, {}, a.token),
      200,
    );
    expect((await sealed(w.id, rotated.secret)).equals(first)).toBe(false);
    expect((await c.delete(`/api/v1/webhooks/${w.id}`, a.token)).status).toBe(204);
  });

  it('refuses bad input with 400: a URL that is not http(s), no events, unknown events or fields', async () => {
    for (const body of [
      { url: 'ftp://example.com/x', events: ['lead.created'] },
      { url: 'https://example.com/x', events: [] },
      { url: 'https://example.com/x', events: ['ping'] },
      { url: 'https://example.com/x', events: ['lead.created'], secret: 'whsec_mine' },
    ]) {
      const res = await c.post('/api/v1/webhooks', body, a.token);
      expect(res.status).toBe(400);
      expect(res.body.statusCode).toBe(400);
    }
  });

  it('sends lead.created signed per Standard Webhooks, the data exactly as the API answered', async () => {
    const w = await addEndpoint(a, '/signed', ['lead.created']);
    const lead = bodyOf(
      await c.post('/api/v1/leads', { firstName: 'Ada', phone: nextPhone() }, a.token),
      201,
    );
    const [got] = await rx.waitFor((r) => r.path === '/signed');
    expect(got.verified).toMatchObject({ type: 'lead.created', data: lead });
    expect(Date.parse(got.verified?.timestamp ?? '')).not.toBeNaN();
    expect(got.headers['webhook-signature']).toMatch(/^v1,/);

    const [d] = await waitForLog(a, w.id, (log) => log[0]?.['status'] === 'succeeded');
    expect(d).toMatchObject({
      eventId: got.headers['webhook-id'],
      type: 'lead.created',
      status: 'succeeded',
      attempts: 1,
      responseStatus: 200,
      responseBody: 'ok',
      nextAttemptAt: null,
    });
  });

  it('sends call, lead and import events to the endpoints subscribed to them', async () => {
    await addEndpoint(a, '/all', [
      'call.created',
      'call.updated',
      'call.ended',
      'lead.updated',
      'lead.deleted',
      'leads.imported',
    ]);
    const lead = bodyOf(await c.post('/api/v1/leads', { phone: nextPhone() }, a.token), 201);
    const updated = bodyOf(
      await c.patch(`/api/v1/leads/${lead.id}`, { company: 'Acme' }, a.token),
      200,
    );
    expect((await c.delete(`/api/v1/leads/${lead.id}`, a.token)).status).toBe(204);
    const call = bodyOf(
      await c.post(
        '/api/v1/calls',
        { agentId, direction: 'outbound', fromNumber: '+14155550000', toNumber: nextPhone() },
        a.token,
      ),
      201,
    );
    const ended = bodyOf(
      await c.patch(`/api/v1/calls/${call.id}`, { status: 'failed' }, a.token),
      200,
    );
    const imported = await fetch(`${t.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
      body: `phone\n${nextPhone()}\n${nextPhone()}\nnot a phone\n`,
    }).then((r) => r.json());

    const got = await rx.waitFor((r) => r.path === '/all', 6);
    const byType = Object.fromEntries(got.map((r) => [r.verified?.type, r.verified?.data]));
    expect(Object.keys(byType).sort()).toEqual([
      'call.created',
      'call.ended',
      'call.updated',
      'lead.deleted',
      'lead.updated',
      'leads.imported',
    ]);
    expect(byType['lead.updated']).toEqual(updated);
    expect(byType['lead.deleted']).toEqual(updated);
    expect(byType['call.created']).toEqual(call);
    expect(byType['call.updated']).toEqual(ended);
    expect(byType['call.ended']).toEqual(ended);
    expect(byType['leads.imported']).toEqual(imported);
    expect(imported).toMatchObject({ inserted: 2, updated: 0 });
    // nothing it did not subscribe to
    expect(got.some((r) => r.verified?.type === 'lead.created')).toBe(false);
  });

  it("sends the call events of a voice provider's reports: call.ended once, however often the report comes", async () => {
    const w = await addEndpoint(a, '/vapi', ['call.created', 'call.updated', 'call.ended']);
    const secret = 'vapi-secret-of-the-webhooks-spec';
    bodyOf(await c.put('/api/v1/integrations/vapi', { secret }, a.token), 200);
    const call = {
      callId: `vapi-${Date.now()}`,
      agentId: 'asst_webhooks_01',
      customer: nextPhone(),
      line: '+14155550999',
      startedAt: '2026-11-02T10:00:00.000Z',
      endedAt: '2026-11-02T10:01:12.000Z',
    };
    const report = (body: unknown) =>
      c.call('POST', `/api/v1/integrations/vapi/events/${a.tenantId}`, {
        raw: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      });
    // the end first, then the start, then the end again: a provider's order
    for (const body of [
      vapiEndOfCallReport(call),
      vapiStatusUpdate(call, 'in-progress', call.startedAt),
      vapiEndOfCallReport(call),
    ])
      expect((await report(body)).status).toBe(200);
    await waitForLog(
      a,
      w.id,
      (log) => log.length >= 1 && log.every((d) => d['status'] === 'succeeded'),
    );
    const types = rx.received
      .filter((r) => r.path === '/vapi')
      .map((r) => r.verified?.type)
      .sort();
    expect(types[0]).toBe('call.created');
    expect(types.filter((t) => t === 'call.ended')).toHaveLength(1);
    expect(
      types.every((t) => t && ['call.created', 'call.ended', 'call.updated'].includes(t)),
    ).toBe(true);
  });

  it('retries a receiver that fails three times: the fourth attempt delivers, with the same webhook-id', async () => {
    const w = await addEndpoint(a, '/flaky', ['lead.created']);
    let calls = 0;
    rx.answerWith((r, res) => {
      if (r.path === '/flaky' && ++calls <= 3) {
        res.statusCode = calls === 2 ? 302 : 503;
        res.setHeader('location', rx.url('/elsewhere'));
        return res.end('down for maintenance');
      }
      res.end('ok');
    });
    await c.post('/api/v1/leads', { phone: nextPhone() }, a.token);
    const got = await rx.waitFor((r) => r.path === '/flaky', 4);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(got.every((r) => r.verified?.type === 'lead.created')).toBe(true);
    // the redirect was not followed
    expect(rx.received.some((r) => r.path === '/elsewhere')).toBe(false);
    const [d] = await waitForLog(a, w.id, (log) => log[0]?.['status'] === 'succeeded');
    expect(d).toMatchObject({ attempts: 4, responseStatus: 200, error: null });
  });

  it('gives up after the last attempt (failed), and a retry from the log sends it again', async () => {
    const w = await addEndpoint(a, '/down', ['lead.created']);
    rx.answerWith((r, res) => {
      res.statusCode = r.path === '/down' ? 500 : 200;
      res.end(r.path === '/down' ? 'x'.repeat(5000) : 'ok');
    });
    await c.post('/api/v1/leads', { phone: nextPhone() }, a.token);
    const [failed] = await waitForLog(a, w.id, (log) => log[0]?.['status'] === 'failed');
    expect(failed).toMatchObject({ attempts: 5, responseStatus: 500, nextAttemptAt: null });
    expect(failed.responseBody).toHaveLength(1024);
    expect(failed.error).toBe('answered 500');

    rx.answerWith((_r, res) => res.end('ok'));
    const retried = await c.post(
      `/api/v1/webhooks/${w.id}/deliveries/${failed.id}/retry`,
      {},
      a.token,
    );
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'pending' });
    const [done] = await waitForLog(a, w.id, (log) => log[0]?.['status'] === 'succeeded');
    expect(done).toMatchObject({ id: failed.id, attempts: 6, responseStatus: 200 });
    expect(
      (await c.post(`/api/v1/webhooks/${w.id}/deliveries/${randomUUID()}/retry`, {}, a.token))
        .status,
    ).toBe(404);
  });

  it('POST /:id/test sends ping, its data the endpoint (without its secret)', async () => {
    const w = await addEndpoint(a, '/ping', ['call.ended']);
    const res = await c.post(`/api/v1/webhooks/${w.id}/test`, {}, a.token);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'ping', status: 'pending', attempts: 0 });
    const [got] = await rx.waitFor((r) => r.path === '/ping');
    expect(got.verified).toMatchObject({ type: 'ping', data: { id: w.id, url: rx.url('/ping') } });
    expect(got.raw).not.toContain('whsec_');
    expect(got.headers['webhook-id']).toBe(res.body.eventId);
  });

  it("does not sign with a box copied from another endpoint's row: it is bound to its endpoint", async () => {
    const from = await addEndpoint(a, '/box-from', ['call.ended']);
    const to = await addEndpoint(a, '/box-to', ['call.ended']);
    await owner.query(
      `UPDATE webhook_endpoints SET secret_box = (SELECT secret_box FROM webhook_endpoints WHERE id = $2)
        WHERE tenant_id = $1 AND id = $3`,
      [a.tenantId, from.id, to.id],
    );
    expect((await c.post(`/api/v1/webhooks/${to.id}/test`, {}, a.token)).status).toBe(202);
    // the attempt's outcome (its count goes up when it is claimed, before the outcome is written)
    const [d] = await waitForLog(a, to.id, (log) =>
      log.some((x) => x['error'] != null || x['status'] === 'succeeded'),
    );
    expect(d).toMatchObject({ error: 'the signing secret does not open: rotate it' });
    expect(rx.received.filter((r) => r.path === '/box-to')).toEqual([]);
    expect((await c.delete(`/api/v1/webhooks/${to.id}`, a.token)).status).toBe(204);
  });

  it("sends a tenant's events only to its own endpoints", async () => {
    const wa = await addEndpoint(a, '/tenant-a', ['lead.created']);
    const wb = await addEndpoint(b, '/tenant-b', ['lead.created']);
    const leadA = bodyOf(await c.post('/api/v1/leads', { phone: nextPhone() }, a.token), 201);
    const leadB = bodyOf(await c.post('/api/v1/leads', { phone: nextPhone() }, b.token), 201);
    await waitForLog(a, wa.id, (log) => log.some((d) => d['status'] === 'succeeded'));
    await waitForLog(b, wb.id, (log) => log.some((d) => d['status'] === 'succeeded'));
    const toA = rx.received.filter((r) => r.path === '/tenant-a').map((r) => r.verified?.data.id);
    const toB = rx.received.filter((r) => r.path === '/tenant-b').map((r) => r.verified?.data.id);
    expect(toA).toEqual([leadA.id]);
    expect(toB).toEqual([leadB.id]);
    // and neither tenant sees the other's endpoint or its log
    expect((await c.get(`/api/v1/webhooks/${wb.id}`, a.token)).status).toBe(404);
    expect((await c.get(`/api/v1/webhooks/${wb.id}/deliveries`, a.token)).status).toBe(404);
  });

  it('a change that rolls back sends nothing: no event, no delivery, no job', async () => {
    const w = await addEndpoint(a, '/rollback', ['lead.created']);
    const leads = t.app.get(LeadsService);
    const phoneRolledBack = nextPhone();
    // jobs queued before this test (earlier tests' retries of endpoints they deleted) are not its business
    const before = (
      await owner.query(
        'SELECT coalesce(max(id), 0)::text AS id FROM graphile_worker._private_jobs',
      )
    ).rows[0].id as string;
    await expect(
      t.app.get(Db).transaction({ tenantId: a.tenantId, userId: a.userId }, async () => {
        await leads.create({ phone: phoneRolledBack, status: 'new', tags: [], customFields: {} });
        throw new Error('something after the change failed');
      }),
    ).rejects.toThrow('something after the change failed');
    // a change committed after it arrives: had the first been sent, it would have come before
    const later = bodyOf(await c.post('/api/v1/leads', { phone: nextPhone() }, a.token), 201);
    await rx.waitFor((r) => r.path === '/rollback' && r.verified?.data.id === later.id);
    expect(rx.received.filter((r) => r.path === '/rollback')).toHaveLength(1);
    expect(await deliveries(a, w.id)).toHaveLength(1);
    // no event with the lead, and no job for a delivery that does not exist
    const counts = await owner.query(
      `SELECT (SELECT count(*) FROM webhook_events WHERE payload::text LIKE $1)::int AS events,
              (SELECT count(*) FROM graphile_worker._private_jobs j
                WHERE j.payload->>'tenantId' = $2 AND j.id > $3::bigint
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                                   WHERE d.id = (j.payload->>'deliveryId')::uuid))::int AS orphans`,
      [`%${phoneRolledBack}%`, a.tenantId, before],
    );
    expect(counts.rows[0]).toEqual({ events: 0, orphans: 0 });
    const { rows: leadRows } = await owner.query('SELECT 1 FROM leads WHERE phone = $1', [
      phoneRolledBack,
    ]);
    expect(leadRows).toHaveLength(0);
  });

  it("an attempt's outcome takes the endpoint's row before the delivery's, as deleting the endpoint does", async () => {
    const w = await addEndpoint(a, '/locked', ['lead.created']);
    rx.answerWith((r, res) => {
      res.statusCode = r.path === '/locked' ? 500 : 200;
      res.end();
    });
    const hold = await connectAsOwner(db);
    try {
      await hold.query('BEGIN');
      // as a concurrent change of the endpoint would; a new delivery's foreign key check still passes
      await hold.query('SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR NO KEY UPDATE', [w.id]);
      await c.post('/api/v1/leads', { phone: nextPhone() }, a.token);
      // the attempt failed; its outcome waits for the endpoint's row ...
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await owner.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('no attempt waited for the endpoint');
        await new Promise((r) => setTimeout(r, 50));
      }
      // ... holding no lock on the delivery yet (NOWAIT: 55P03 if it did)
      const { rows } = await owner.query(
        'SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 FOR UPDATE NOWAIT',
        [w.id],
      );
      expect(rows).toHaveLength(1);
    } finally {
      await hold.query('ROLLBACK');
      await hold.end();
    }
    expect((await c.delete(`/api/v1/webhooks/${w.id}`, a.token)).status).toBe(204);
  });

  it('deleting an endpoint takes the jobs of its pending deliveries with it', async () => {
    const w = await addEndpoint(a, '/deleted', ['lead.created']);
    // a delivery due in an hour, as a retry is: its job waits in the queue
    const {
      rows: [d],
    } = await owner.query(
      `WITH e AS (INSERT INTO webhook_events (tenant_id, type, payload)
                  VALUES ($1, 'lead.created', '{}') RETURNING id)
       INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, next_attempt_at)
       SELECT $1, $2, e.id, now() + interval '1 hour' FROM e RETURNING id`,
      [a.tenantId, w.id],
    );
    const jobs = async () =>
      (
        await owner.query(
          'SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = $1',
          [`webhook_delivery:${d.id}`],
        )
      ).rows[0].n;
    expect(await jobs()).toBe(1);
    expect((await c.delete(`/api/v1/webhooks/${w.id}`, a.token)).status).toBe(204);
    expect(await jobs()).toBe(0);
  });

  it('disables an endpoint failing for longer than WEBHOOK_DISABLE_AFTER (5 days) and mails the admins', async () => {
    const w = await addEndpoint(a, '/dead', ['lead.created']);
    rx.answerWith((r, res) => {
      res.statusCode = r.path === '/dead' ? 410 : 200;
      res.end();
    });
    await c.post('/api/v1/leads', { phone: nextPhone() }, a.token);
    // the first failure starts the clock; as if that had been six days ago
    await rx.waitFor((r) => r.path === '/dead');
    for (let moved = 0; moved === 0; await new Promise((r) => setTimeout(r, 20))) {
      moved = (
        await owner.query(
          `UPDATE webhook_endpoints SET failing_since = now() - interval '6 days'
            WHERE id = $1 AND failing_since > now() - interval '1 day'`,
          [w.id],
        )
      ).rowCount as number;
    }
    const link = await smtp.waitFor(
      a.email,
      /(http:\/\/console\.test\/settings\/webhooks)/,
      20_000,
    );
    expect(link).toBe('http://console.test/settings/webhooks');
    const mail = smtp.mails.find(
      (m) => m.to.includes(a.email.toLowerCase()) && /disabled/.test(m.subject),
    );
    expect(mail?.text).toContain(rx.url('/dead'));
    const endpoint = bodyOf(await c.get(`/api/v1/webhooks/${w.id}`, a.token), 200);
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/^every delivery attempt failed since /);
    // its remaining attempts stop; enabling it again starts afresh
    const [d] = await waitForLog(a, w.id, (log) => log[0]?.['status'] === 'failed');
    expect(d.attempts).toBeLessThan(5);
    const enabled = bodyOf(
      await c.patch(`/api/v1/webhooks/${w.id}`, { enabled: true }, a.token),
      200,
    );
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('purges events (and their deliveries) older than 30 days, in every tenant', async () => {
    const w = await addEndpoint(b, '/purge', ['lead.created']);
    await c.post('/api/v1/leads', { phone: nextPhone() }, b.token);
    await waitForLog(b, w.id, (log) => log.length === 1 && log[0]['status'] === 'succeeded');
    await owner.query(
      `UPDATE webhook_events SET created_at = now() - interval '31 days'
        WHERE id IN (SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1)`,
      [w.id],
    );
    const before = (await owner.query('SELECT count(*)::int AS n FROM webhook_events')).rows[0].n;
    await t.app.get(WebhookDispatcher).purge();
    const after = (await owner.query('SELECT count(*)::int AS n FROM webhook_events')).rows[0].n;
    expect(after).toBe(before - 1);
    expect(await deliveries(b, w.id)).toEqual([]);
  });
});
