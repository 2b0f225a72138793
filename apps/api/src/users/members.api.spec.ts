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
      const accepted = await c.post('/api/v1/auth/accept-invite', {
        token,
        password: 'a long enough passphrase',
      });
      expect(accepted.status).toBe(200);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'owner', status: 'active' });
      expect((await c.delete(`/api/v1/users/${a.userId}`, a.token)).status).toBe(204);
    });
  });
  describe('withdrawing an invitation', () => {
    /** The newest invitation link mailed to `email` other than `seen`. */
    const inviteLink = async (email: string, seen?: string) => {
      for (;;) {
        const token = await smtp.waitFor(email, ACCEPT_LINK);
        if (token !== seen) return token;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const accept = (token: string) =>
      c.post('/api/v1/auth/accept-invite', { token, password: 'a long enough passphrase' });
    const userRow = async (email: string) =>
      (await owner.query('SELECT id, password_hash FROM users WHERE email = $1', [email])).rows[0];

    it('kills the link and frees the email: it signs up again and sees nothing of the inviting tenant', async () => {
      const a = await signup(c, 'Withdrawer');
      const email = freshEmail('victim');
      const id = await invite(a, email, 'viewer');
      const token = await inviteLink(email);
      expect((await c.delete(`/api/v1/users/${id}`, a.token)).status).toBe(204);

      const late = await accept(token);
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await userRow(email)).toBeUndefined();

      const again = await c.post('/api/v1/auth/signup', {
        tenantName: 'Victim Calls',
        fullName: 'Victim',
        email,
        password: 'a long enough passphrase',
      });
      expect(again.status).toBe(201);
      const mine = again.body.token as string;
      expect(again.body.user.id).not.toBe(id);
      const tenants = await c.get('/api/v1/tenants', mine);
      expect(tenants.body.data.map((m: { tenant: { id: string } }) => m.tenant.id)).toEqual([
        again.body.tenant.id,
      ]);
      const members = await c.get('/api/v1/users', mine);
      expect(members.body.data.map((u: { email: string }) => u.email)).toEqual([email]);
      expect((await c.post('/api/v1/tenant/switch', { tenantId: a.tenantId }, mine)).status).toBe(
        404,
      );
      const intoA = await c.post('/api/v1/auth/login', {
        email,
        password: 'a long enough passphrase',
        tenantId: a.tenantId,
      });
      expect(intoA.status).toBe(401);
      const listA = await c.get('/api/v1/users', a.token);
      expect(listA.body.data.map((u: { email: string }) => u.email)).not.toContain(email);
    });

    it("keeps an account invited elsewhere: only the withdrawing tenant's link dies", async () => {
      const a = await signup(c, 'First');
      const b = await signup(c, 'Second');
      const email = freshEmail('shared-invitee');
      const id = await invite(a, email, 'member');
      const fromA = await inviteLink(email);
      expect(await invite(b, email, 'viewer')).toBe(id);
      const fromB = await inviteLink(email, fromA);

      expect((await c.delete(`/api/v1/users/${id}`, a.token)).status).toBe(204);
      expect(await userRow(email)).toMatchObject({ id, password_hash: null });
      expect((await accept(fromA)).status).toBe(400);
      expect(await membership(a.tenantId, id)).toBeUndefined();

      expect((await accept(fromB)).status).toBe(200);
      expect(await membership(b.tenantId, id)).toEqual({ role: 'viewer', status: 'active' });
      const login = await c.post('/api/v1/auth/login', {
        email,
        password: 'a long enough passphrase',
      });
      expect(login.status).toBe(200);
      expect(login.body.tenant.id).toBe(b.tenantId);
    });

    it('keeps an account that has a password when its last membership is removed (control)', async () => {
      const a = await signup(c, 'Host');
      const guest = await signup(c, 'Guest');
      expect(await invite(a, guest.email, 'viewer')).toBe(guest.userId);
      expect((await c.delete(`/api/v1/users/${guest.userId}`, a.token)).status).toBe(204);
      expect((await c.get('/api/v1/auth/me', guest.token)).status).toBe(200);
      expect(await userRow(guest.email)).toMatchObject({ id: guest.userId });
    });

    it('an unclaimed invitation does not hold the email: signup claims the account, nothing of the inviting tenant comes with it', async () => {
      const a = await signup(c, 'Squatter');
      const email = freshEmail('claimed');
      const id = await invite(a, email, 'viewer');
      const token = await inviteLink(email);
      const res = await c.post('/api/v1/auth/signup', {
        tenantName: 'Mine',
        fullName: 'Real Owner',
        email,
        password: 'my own long passphrase',
      });
      expect(res.status).toBe(201);
      expect(res.body.user.id).toBe(id);
      const me = await c.get('/api/v1/auth/me', res.body.token);
      expect(me.body.memberships.map((m: { tenant: { id: string } }) => m.tenant.id)).toEqual([
        res.body.tenant.id,
      ]);
      const members = await c.get('/api/v1/users', res.body.token);
      expect(members.body.data.map((m: { email: string }) => m.email)).toEqual([email]);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'viewer', status: 'invited' });
      // the invitation still joins, with the password the account now has
      const wrong = await accept(token);
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toMatch(/already has a password/);
      const joined = await c.post('/api/v1/auth/accept-invite', {
        token,
        password: 'my own long passphrase',
      });
      expect(joined.status).toBe(200);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'viewer', status: 'active' });
      // a claimed account is claimed once
      const again = await c.post('/api/v1/auth/signup', {
        tenantName: 'Theirs',
        fullName: 'Someone',
        email,
        password: 'another long passphrase',
      });
      expect(again.status).toBe(409);
    });

    it('an old invitation link cannot replace the password an account set since', async () => {
      const a = await signup(c, 'First');
      const b = await signup(c, 'Second');
      const email = freshEmail('two-invites');
      await invite(b, email, 'viewer');
      const fromB = await inviteLink(email);
      const id = await invite(a, email, 'member');
      const fromA = await inviteLink(email, fromB);
      expect((await accept(fromB)).status).toBe(200);
      const session = await c.post('/api/v1/auth/login', {
        email,
        password: 'a long enough passphrase',
      });
      expect(session.status).toBe(200);
      const replaced = await c.post('/api/v1/auth/accept-invite', {
        token: fromA,
        password: 'an attacker passphrase',
      });
      expect(replaced.status).toBe(401);
      const stolen = await c.post('/api/v1/auth/login', {
        email,
        password: 'an attacker passphrase',
      });
      expect(stolen.status).toBe(401);
      expect((await accept(fromA)).status).toBe(200);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'member', status: 'active' });
      // joining changed no password: the session from before still works
      expect((await c.get('/api/v1/auth/me', session.body.token)).status).toBe(200);
    });

    it('a membership removed by any path takes its invitation, and the link dies with it (400)', async () => {
      const a = await signup(c, 'Vanished');
      const email = freshEmail('orphan-link');
      const id = await invite(a, email, 'viewer');
      const token = await inviteLink(email);
      await owner.query('DELETE FROM tenant_users WHERE tenant_id = $1 AND user_id = $2', [
        a.tenantId,
        id,
      ]);
      const links = await owner.query('SELECT 1 FROM invitations WHERE user_id = $1', [id]);
      expect(links.rowCount).toBe(0);
      const res = await accept(token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(/withdrawn/);
      expect(await userRow(email)).toMatchObject({ id, password_hash: null });
      expect(await membership(a.tenantId, id)).toBeUndefined();
    });
  });
});
