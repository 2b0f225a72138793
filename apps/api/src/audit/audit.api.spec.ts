import type { Client as Pg } from 'pg';
import { AuditEvent, AuditEventPage } from '@acc/contracts';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import {
  TestDatabase,
  connectAsAppRole,
  connectAsOwner,
  createTestDatabase,
} from '../testing/test-database';
import { AuditPurge } from './audit-purge.service';

describe('audit log (real HTTP, PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;
  let viewer: Account;
  let member: Account;

  /** A's events of one resource, oldest first, straight from the table. */
  const eventsOf = async (tenantId: string, resourceId: string) =>
    (
      await owner.query(
        `SELECT actor_type, actor_id, actor_name, action, resource_type, resource_id, changes,
                ip, user_agent, request_id
           FROM audit_events WHERE tenant_id = $1 AND resource_id = $2 ORDER BY at`,
        [tenantId, resourceId],
      )
    ).rows;
  const countOf = async (tenantId: string, action: string) =>
    (
      await owner.query(
        'SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = $2',
        [tenantId, action],
      )
    ).rows[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    [a, b] = await Promise.all([signup(c, 'Audited'), signup(c, 'Elsewhere')]);
    viewer = await addMember(c, smtp, a, 'viewer');
    member = await addMember(c, smtp, a, 'member');
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('leads', () => {
    it('create, update and delete each write exactly one event: the person, the diff, where from', async () => {
      const lead = bodyOf(
        await c.post('/api/v1/leads', { phone: '+14155550111', firstName: 'Ann' }, a.token, {
          'user-agent': 'audit-spec/1',
        }),
        201,
      );
      await c.patch(`/api/v1/leads/${lead.id}`, { firstName: 'Anna', company: 'Acme' }, a.token);
      // an empty PATCH changes nothing: no event
      bodyOf(await c.patch(`/api/v1/leads/${lead.id}`, {}, a.token), 200);
      expect((await c.delete(`/api/v1/leads/${lead.id}`, a.token)).status).toBe(204);

      const rows = await eventsOf(a.tenantId, lead.id);
      expect(rows.map((r) => r.action)).toEqual(['lead.created', 'lead.updated', 'lead.deleted']);
      for (const r of rows)
        expect(r).toMatchObject({
          actor_type: 'user',
          actor_id: a.userId,
          actor_name: 'Audited Owner',
          resource_type: 'lead',
        });
      expect(rows[0].changes).toEqual({
        phone: [null, '+14155550111'],
        firstName: [null, 'Ann'],
        status: [null, 'new'],
      });
      expect(rows[0].user_agent).toBe('audit-spec/1');
      expect(rows[0].ip).toMatch(/127\.0\.0\.1/);
      expect(rows[0].request_id).toEqual(expect.any(String));
      expect(rows[1].changes).toEqual({ firstName: ['Ann', 'Anna'], company: [null, 'Acme'] });
      expect(rows[2].changes).toMatchObject({ phone: ['+14155550111', null] });
    });

    it('a change that fails writes no event (same transaction)', async () => {
      const first = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550112' }, a.token), 201);
      const second = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550113' }, a.token), 201);
      // the phone is taken: 409, rolled back with its audit event
      const res = await c.patch(`/api/v1/leads/${second.id}`, { phone: first.phone }, a.token);
      expect(res.status).toBe(409);
      expect((await eventsOf(a.tenantId, second.id)).map((r) => r.action)).toEqual([
        'lead.created',
      ]);
    });

    it('through an API key, the actor is the key, by its name', async () => {
      const key = await createApiKey(c, a, 'member', { name: 'CRM sync' });
      const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550114' }, key.key), 201);
      const [row] = await eventsOf(a.tenantId, lead.id);
      expect(row).toMatchObject({
        actor_type: 'api_key',
        actor_id: key.id,
        actor_name: 'CRM sync',
        action: 'lead.created',
      });
    });

    it('an import is one event with its counts; an export is recorded, with its filter', async () => {
      const csv = 'phone,first_name\n+14155550121,A\n+14155550122,B\nnot-a-phone,C\n';
      const res = await fetch(`${t.url}/api/v1/leads/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${a.token}` },
        body: csv,
      });
      expect(res.status).toBe(200);
      const { rows } = await owner.query(
        `SELECT changes FROM audit_events WHERE tenant_id = $1 AND action = 'leads.imported'`,
        [a.tenantId],
      );
      expect(rows).toEqual([
        { changes: { inserted: [null, 2], updated: [null, 0], rejected: [null, 1] } },
      ]);

      const exported = await c.get('/api/v1/leads/export?status=new', a.token);
      expect(exported.status).toBe(200);
      const ex = await owner.query(
        `SELECT actor_id, changes FROM audit_events WHERE tenant_id = $1 AND action = 'leads.exported'`,
        [a.tenantId],
      );
      expect(ex.rows).toEqual([
        { actor_id: a.userId, changes: { filter: [null, { status: 'new' }] } },
      ]);
    });
  });

  describe('GET /api/v1/audit-events', () => {
    it('lists the events newest first in the contract shape, with filters and keyset pages', async () => {
      const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550131' }, a.token), 201);
      for (const name of ['One', 'Two', 'Three'])
        bodyOf(await c.patch(`/api/v1/leads/${lead.id}`, { firstName: name }, a.token), 200);
      const page1 = AuditEventPage.parse(
        bodyOf(
          await c.get(
            `/api/v1/audit-events?resourceType=lead&resourceId=${lead.id}&limit=3`,
            a.token,
          ),
          200,
        ),
      );
      expect(page1.data.map((e) => e.action)).toEqual([
        'lead.updated',
        'lead.updated',
        'lead.updated',
      ]);
      expect(page1.data[0]).toMatchObject({
        actor: { type: 'user', id: a.userId, name: 'Audited Owner' },
        resourceType: 'lead',
        resourceId: lead.id,
        changes: { firstName: ['Two', 'Three'] },
      });
      expect(page1.nextCursor).toEqual(expect.any(String));
      const page2 = bodyOf(
        await c.get(
          `/api/v1/audit-events?resourceId=${lead.id}&limit=3&cursor=${page1.nextCursor}`,
          a.token,
        ),
        200,
      );
      expect(page2.data.map((e: AuditEvent) => e.action)).toEqual(['lead.created']);
      expect(page2.nextCursor).toBeNull();

      const byAction = bodyOf(
        await c.get('/api/v1/audit-events?action=lead.created', a.token),
        200,
      );
      expect(byAction.data.length).toBeGreaterThan(0);
      expect(byAction.data.every((e: AuditEvent) => e.action === 'lead.created')).toBe(true);
      const byName = bodyOf(await c.get('/api/v1/audit-events?actor=audited', a.token), 200);
      expect(byName.data.length).toBeGreaterThan(0);
      const byId = bodyOf(await c.get(`/api/v1/audit-events?actor=${a.userId}`, a.token), 200);
      expect(byId.data.every((e: AuditEvent) => e.actor.id === a.userId)).toBe(true);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const none = bodyOf(await c.get(`/api/v1/audit-events?from=${future}`, a.token), 200);
      expect(none.data).toEqual([]);
      const past = bodyOf(
        await c.get(`/api/v1/audit-events?to=2000-01-01T00:00:00Z`, a.token),
        200,
      );
      expect(past.data).toEqual([]);
    });

    it('refuses bad filters with a 400', async () => {
      expect((await c.get('/api/v1/audit-events?from=yesterday', a.token)).status).toBe(400);
      expect((await c.get('/api/v1/audit-events?cursor=nope', a.token)).status).toBe(400);
      expect((await c.get('/api/v1/audit-events?colour=red', a.token)).status).toBe(400);
    });

    it("tenant B never sees A's events, not even by A's resource id", async () => {
      const lead = bodyOf(await c.post('/api/v1/leads', { phone: '+14155550141' }, a.token), 201);
      const list = bodyOf(await c.get(`/api/v1/audit-events?resourceId=${lead.id}`, b.token), 200);
      expect(list.data).toEqual([]);
      const all = bodyOf(await c.get('/api/v1/audit-events?limit=200', b.token), 200);
      expect(all.data.some((e: AuditEvent) => e.actor.id === a.userId)).toBe(false);
      const csv = await c.get(`/api/v1/audit-events/export?resourceId=${lead.id}`, b.token);
      expect(csv.status).toBe(200);
      expect(String(csv.body).trim().split('\r\n')).toHaveLength(1);
    });

    it('is for admins and owners only: viewer, member and a member key get 403', async () => {
      const key = await createApiKey(c, a, 'member');
      for (const token of [viewer.token, member.token, key.key]) {
        expect((await c.get('/api/v1/audit-events', token)).status).toBe(403);
        expect((await c.get('/api/v1/audit-events/export', token)).status).toBe(403);
      }
      const adminKey = await createApiKey(c, a, 'admin');
      expect((await c.get('/api/v1/audit-events', adminKey.key)).status).toBe(200);
    });

    it('exports the filtered events as CSV, and records that export', async () => {
      const before = await countOf(a.tenantId, 'audit_events.exported');
      const res = await c.get('/api/v1/audit-events/export?action=lead.created', a.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      const lines = String(res.body).trim().split('\r\n');
      expect(lines[0]).toBe(
        'id,at,actor_type,actor_id,actor_name,action,resource_type,resource_id,changes,ip,user_agent,request_id',
      );
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.slice(1).every((l) => l.includes(',lead.created,'))).toBe(true);
      expect(await countOf(a.tenantId, 'audit_events.exported')).toBe(before + 1);
    });
  });

  describe('append-only', () => {
    it("the API role may read and append, but never update or delete an event, even its own tenant's", async () => {
      const app = await connectAsAppRole(db);
      try {
        await app.query('BEGIN');
        await app.query('SELECT * FROM app_begin($1, NULL, NULL, 5000)', [a.tenantId]);
        const { rows } = await app.query('SELECT id FROM audit_events LIMIT 1');
        expect(rows).toHaveLength(1);
        await app.query('SAVEPOINT s');
        await expect(
          app.query(`UPDATE audit_events SET action = 'forged' WHERE id = $1`, [rows[0].id]),
        ).rejects.toThrow(/permission denied/);
        await app.query('ROLLBACK TO SAVEPOINT s');
        await expect(
          app.query('DELETE FROM audit_events WHERE id = $1', [rows[0].id]),
        ).rejects.toThrow(/permission denied/);
        await app.query('ROLLBACK TO SAVEPOINT s');
        await expect(app.query('TRUNCATE audit_events')).rejects.toThrow(/permission denied/);
        await app.query('ROLLBACK TO SAVEPOINT s');
        await app.query(
          `INSERT INTO audit_events (tenant_id, actor_type, action, resource_type)
           VALUES ($1, 'system', 'test.appended', 'test')`,
          [a.tenantId],
        );
        await app.query('ROLLBACK');
      } finally {
        await app.end();
      }
    });

    it("the purge job deletes only events past each tenant's retention", async () => {
      await owner.query(
        'UPDATE tenant_configs SET audit_retention_days = 30 WHERE tenant_id = $1',
        [a.tenantId],
      );
      const old = (days: number, tenantId: string) =>
        owner.query(
          `INSERT INTO audit_events (tenant_id, at, actor_type, action, resource_type)
           VALUES ($1, now() - make_interval(days => $2), 'system', 'test.old', 'test') RETURNING id`,
          [tenantId, days],
        );
      const a40 = (await old(40, a.tenantId)).rows[0].id;
      const a20 = (await old(20, a.tenantId)).rows[0].id;
      const b40 = (await old(40, b.tenantId)).rows[0].id;
      const b400 = (await old(400, b.tenantId)).rows[0].id;
      expect(await t.app.get(AuditPurge).purge()).toBeGreaterThanOrEqual(2);
      const { rows } = await owner.query(
        'SELECT id FROM audit_events WHERE id = ANY($1) ORDER BY id',
        [[a40, a20, b40, b400]],
      );
      expect(rows.map((r) => r.id).sort()).toEqual([a20, b40].sort());
    });
  });
});
