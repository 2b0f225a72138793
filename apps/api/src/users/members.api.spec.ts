import { randomBytes } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

const freshEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;
const ACCEPT_LINK = /accept-invite\?token=([A-Za-z0-9_-]+)/;

/** Invitations and memberships over real HTTP, PostgreSQL and SMTP. */
describe('members: invitations and the owner rules', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  const membership = async (tenantId: string, userId: string) =>
    (
      await owner.query(
        'SELECT role, status FROM tenant_users WHERE tenant_id = $1 AND user_id = $2',
        [tenantId, userId],
      )
    ).rows[0];

  const invite = async (by: Account, email: string, role: string) => {
    const res = await c.post(
      '/api/v1/users',
      { email, fullName: 'Invited Person', role },
      by.token,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  describe('an invitation is activated only by its acceptance', () => {
    it('PATCH cannot activate or disable an invited membership (409), so an invited owner never counts as the other owner', async () => {
      const a = await signup(c, 'Solo');
      const email = freshEmail('ghost-owner');
      const id = await invite(a, email, 'owner');

      for (const status of ['active', 'disabled']) {
        const res = await c.patch(`/api/v1/users/${id}`, { status }, a.token);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
        expect(res.body.message).toMatch(/accept/);
      }
      expect(await membership(a.tenantId, id)).toEqual({ role: 'owner', status: 'invited' });

      const leave = await c.delete(`/api/v1/users/${a.userId}`, a.token);
      expect(leave.status).toBe(409);
      expect(await membership(a.tenantId, a.userId)).toEqual({ role: 'owner', status: 'active' });
      const demote = await c.patch(`/api/v1/users/${a.userId}`, { role: 'admin' }, a.token);
      expect(demote.status).toBe(409);
    });

    it('nor re-enable a disabled membership of an account that never set a password (409)', async () => {
      const a = await signup(c, 'Legacy');
      const id = await invite(a, freshEmail('disabled-invitee'), 'owner');
      // a state left by the old rules, which let an invitation be disabled
      await owner.query(
        `UPDATE tenant_users SET status = 'disabled' WHERE tenant_id = $1 AND user_id = $2`,
        [a.tenantId, id],
      );
      const res = await c.patch(`/api/v1/users/${id}`, { status: 'active' }, a.token);
      expect(res.status).toBe(409);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'owner', status: 'disabled' });
    });

    it('the role of an invited member can still change; once accepted, the new owner counts (control)', async () => {
      const a = await signup(c, 'Handover');
      const email = freshEmail('heir');
      const id = await invite(a, email, 'admin');
      const promoted = await c.patch(`/api/v1/users/${id}`, { role: 'owner' }, a.token);
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ role: 'owner', status: 'invited' });

      const token = await smtp.waitFor(email, ACCEPT_LINK);
      const accepted = await c.post('/api/v1/auth/reset-password', {
        token,
        password: 'a long enough passphrase',
      });
      expect(accepted.status).toBe(204);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'owner', status: 'active' });
      expect((await c.delete(`/api/v1/users/${a.userId}`, a.token)).status).toBe(204);
    });
  });
});
