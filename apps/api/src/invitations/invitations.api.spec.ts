import { createHash, randomBytes } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, PASSWORD, login, signup } from '../testing/accounts';
import { Client, Res, bodyOf, client } from '../testing/http';
import { raceAtBarrier } from '../testing/race';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

const freshEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;
const ACCEPT_LINK = /accept-invite\?token=([A-Za-z0-9_-]+)/;
const NEW_PASSWORD = 'a long enough passphrase';
const tenantIds = (res: Res) =>
  (res.body.data ?? res.body.memberships).map((m: { tenant: { id: string } }) => m.tenant.id);

/** Invitations with consent, over real HTTP, PostgreSQL and SMTP. */
describe('invitations: nobody joins a tenant without accepting', () => {
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

  const userRow = async (email: string) =>
    (await owner.query('SELECT id, password_hash FROM users WHERE email = $1', [email])).rows[0];

  const invite = async (by: Account, email: string, role = 'member', fullName = 'Typed Name') =>
    bodyOf(await c.post('/api/v1/users', { email, fullName, role }, by.token), 201);

  /** The newest invitation link mailed to `email` other than those `seen`. */
  const linkFor = async (email: string, ...seen: string[]) => {
    for (;;) {
      const token = await smtp.waitFor(email, ACCEPT_LINK);
      if (!seen.includes(token)) return token;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  /** The invitation of `by`'s tenant in `who`'s list. */
  const pendingFrom = async (who: Account, by: Account) =>
    bodyOf(await c.get('/api/v1/invitations', who.token), 200).data.find(
      (i: { tenant: { id: string } }) => i.tenant.id === by.tenantId,
    );

  describe('inviting an existing account', () => {
    it('answers exactly as for a new email: invited, with the name the inviter typed, never the account’s', async () => {
      const a = await signup(c, 'Inviter');
      const known = await signup(c, 'Known'); // full name "Known Owner"
      const existing = await invite(a, known.email);
      const fresh = await invite(a, freshEmail('fresh'));

      for (const m of [existing, fresh]) {
        expect(m).toMatchObject({ role: 'member', status: 'invited', fullName: 'Typed Name' });
        expect(m.invitationExpiresAt).toEqual(expect.any(String));
      }
      expect(Object.keys(existing).sort()).toEqual(Object.keys(fresh).sort());
      expect(JSON.stringify(existing)).not.toContain('Known Owner');
      const list = bodyOf(await c.get('/api/v1/users', a.token), 200);
      expect(JSON.stringify(list)).not.toContain('Known Owner');
      expect(list.data.find((m: { id: string }) => m.id === known.userId)).toMatchObject({
        fullName: 'Typed Name',
        status: 'invited',
      });
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'member',
        status: 'invited',
      });
      // the same mail either way: a link to accept
      await linkFor(known.email);
    });

    it('gives no access until accepted: no token for that tenant, not among its tenants, listed as pending', async () => {
      const a = await signup(c, 'Host');
      const known = await signup(c, 'Guest');
      await invite(a, known.email, 'owner');

      const intoA = await c.post('/api/v1/auth/login', {
        email: known.email,
        password: PASSWORD,
        tenantId: a.tenantId,
      });
      expect(intoA.status).toBe(401);
      const sw = await c.post('/api/v1/tenant/switch', { tenantId: a.tenantId }, known.token);
      expect(sw.status).toBe(404);
      expect(tenantIds(await c.get('/api/v1/tenants', known.token))).toEqual([known.tenantId]);
      expect(tenantIds(await c.get('/api/v1/auth/me', known.token))).toEqual([known.tenantId]);

      const pending = bodyOf(await c.get('/api/v1/invitations', known.token), 200);
      expect(pending).toEqual({
        data: [
          {
            id: expect.any(String),
            tenant: { id: a.tenantId, name: 'Host Calls' },
            role: 'owner',
            invitedBy: 'Host Owner',
            expiresAt: expect.any(String),
          },
        ],
        nextCursor: null,
      });
      const days = (Date.parse(pending.data[0].expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
    });
  });

  describe('answering, signed in', () => {
    it('accept: a token for that tenant; then it is among the tenants and the invitation is spent', async () => {
      const a = await signup(c, 'Joinme');
      const known = await signup(c, 'Joiner');
      await invite(a, known.email, 'admin');
      const invitation = await pendingFrom(known, a);

      const res = await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, known.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tenant: { id: a.tenantId }, role: 'admin' });
      const me = bodyOf(await c.get('/api/v1/auth/me', res.body.token), 200);
      expect(me).toMatchObject({ tenantId: a.tenantId, role: 'admin' });
      expect(tenantIds(await c.get('/api/v1/tenants', known.token)).sort()).toEqual(
        [a.tenantId, known.tenantId].sort(),
      );
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'admin',
        status: 'active',
      });
      // the inviter now sees the account's own name
      const members = bodyOf(await c.get('/api/v1/users', a.token), 200);
      expect(members.data.find((m: { id: string }) => m.id === known.userId)).toMatchObject({
        fullName: 'Joiner Owner',
        status: 'active',
        invitationExpiresAt: null,
      });
      expect((await c.get('/api/v1/invitations', known.token)).body.data).toEqual([]);
      const again = await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, known.token);
      expect(again.status).toBe(404);
    });

    it('decline: the pending membership goes, the inviter no longer lists it', async () => {
      const a = await signup(c, 'Spurned');
      const known = await signup(c, 'Decliner');
      await invite(a, known.email, 'viewer');
      const invitation = await pendingFrom(known, a);

      const res = await c.post(`/api/v1/invitations/${invitation.id}/decline`, {}, known.token);
      expect(res.status).toBe(204);
      expect(await membership(a.tenantId, known.userId)).toBeUndefined();
      const members = bodyOf(await c.get('/api/v1/users', a.token), 200);
      expect(members.data.map((m: { id: string }) => m.id)).not.toContain(known.userId);
      expect((await c.get('/api/v1/invitations', known.token)).body.data).toEqual([]);
      expect(
        (await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, known.token)).status,
      ).toBe(404);
      // declined is not barred: a new invitation can come
      await invite(a, known.email, 'viewer');
      expect(await pendingFrom(known, a)).toBeDefined();
    });

    it("another user's invitation, even one its admin can see, is 404 like a random id and stays", async () => {
      const a = await signup(c, 'Admins');
      const known = await signup(c, 'Target');
      await invite(a, known.email);
      const invitation = await pendingFrom(known, a);
      // a, admin of the inviting tenant, sees the invitation's row there
      for (const action of ['accept', 'decline']) {
        const theirs = await c.post(`/api/v1/invitations/${invitation.id}/${action}`, {}, a.token);
        const random = await c.post(
          `/api/v1/invitations/${'00000000-0000-4000-8000-000000000000'}/${action}`,
          {},
          a.token,
        );
        expect([theirs.status, random.status]).toEqual([404, 404]);
        expect({ ...theirs.body, requestId: undefined }).toEqual({
          ...random.body,
          requestId: undefined,
        });
      }
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'member',
        status: 'invited',
      });
      expect(await pendingFrom(known, a)).toMatchObject({ id: invitation.id });
    });

    it('pages the pending invitations like every list', async () => {
      const known = await signup(c, 'Popular');
      const hosts = [await signup(c, 'P1'), await signup(c, 'P2'), await signup(c, 'P3')];
      for (const h of hosts) await invite(h, known.email);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Res = await c.get(
          `/api/v1/invitations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          known.token,
        );
        expect(page.status).toBe(200);
        seen.push(...tenantIds(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(hosts.map((h) => h.tenantId).reverse());
      expect((await c.get('/api/v1/invitations?tenantId=x', known.token)).status).toBe(400);
    });
  });

  describe('the mailed link', () => {
    it('names the workspace, then a new account chooses its password and is signed in; the link is spent', async () => {
      const a = await signup(c, 'Welcome');
      const email = freshEmail('newcomer');
      const { id } = await invite(a, email, 'viewer', 'New Comer');
      const token = await linkFor(email);

      const preview = await c.post('/api/v1/auth/invitation', { token });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        id: expect.any(String),
        tenant: { id: a.tenantId, name: 'Welcome Calls' },
        role: 'viewer',
        invitedBy: 'Welcome Owner',
        expiresAt: expect.any(String),
        email,
        hasAccount: false,
      });

      const res = await c.post('/api/v1/auth/accept-invite', { token, password: NEW_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        user: { id, email, fullName: 'New Comer' },
        tenant: { id: a.tenantId, name: 'Welcome Calls' },
        role: 'viewer',
      });
      expect(bodyOf(await c.get('/api/v1/tenant', res.body.token), 200).id).toBe(a.tenantId);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'viewer', status: 'active' });
      await login(c, email, NEW_PASSWORD, a.tenantId);

      for (const [path, body] of [
        ['/api/v1/auth/accept-invite', { token, password: NEW_PASSWORD }],
        ['/api/v1/auth/invitation', { token }],
        ['/api/v1/auth/decline-invite', { token }],
      ] as const) {
        const spent = await c.post(path, body);
        expect(spent.status).toBe(400);
        expect(spent.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
    });

    it('an existing account proves its password (a wrong one: 401, nothing changes) and keeps it', async () => {
      const a = await signup(c, 'Proof');
      const known = await signup(c, 'Prover');
      await invite(a, known.email, 'member');
      const token = await linkFor(known.email);
      const preview = bodyOf(await c.post('/api/v1/auth/invitation', { token }), 200);
      expect(preview).toMatchObject({ email: known.email, hasAccount: true });

      const wrong = await c.post('/api/v1/auth/accept-invite', {
        token,
        password: 'an attacker passphrase',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toMatch(/already has a password/);
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'member',
        status: 'invited',
      });
      const stolen = await c.post('/api/v1/auth/login', {
        email: known.email,
        password: 'an attacker passphrase',
      });
      expect(stolen.status).toBe(401);

      const res = await c.post('/api/v1/auth/accept-invite', { token, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tenant: { id: a.tenantId }, role: 'member' });
      // joining changed no password: the session from before still works
      expect((await c.get('/api/v1/auth/me', known.token)).status).toBe(200);
    });

    it('declined by an account invitations made and nobody claimed: the account goes, the email signs up anew', async () => {
      const a = await signup(c, 'Unwanted');
      const email = freshEmail('no-thanks');
      const { id } = await invite(a, email);
      const token = await linkFor(email);
      const res = await c.post('/api/v1/auth/decline-invite', { token });
      expect(res.status).toBe(204);
      expect(await membership(a.tenantId, id)).toBeUndefined();
      expect(await userRow(email)).toBeUndefined();
      const again = await c.post('/api/v1/auth/signup', {
        tenantName: 'Mine',
        fullName: 'Me',
        email,
        password: NEW_PASSWORD,
      });
      expect(again.status).toBe(201);
      expect(again.body.user.id).not.toBe(id);
    });

    it('declined while invited elsewhere too: the account stays for the other invitation', async () => {
      const a = await signup(c, 'Left');
      const b = await signup(c, 'Right');
      const email = freshEmail('two-offers');
      const { id } = await invite(a, email);
      const fromA = await linkFor(email);
      await invite(b, email, 'viewer');
      const fromB = await linkFor(email, fromA);
      expect((await c.post('/api/v1/auth/decline-invite', { token: fromA })).status).toBe(204);
      expect(await userRow(email)).toMatchObject({ id, password_hash: null });
      expect(
        (await c.post('/api/v1/auth/accept-invite', { token: fromB, password: NEW_PASSWORD }))
          .status,
      ).toBe(200);
      expect(await membership(b.tenantId, id)).toEqual({ role: 'viewer', status: 'active' });
    });

    it('/auth/reset-password does not take an invitation link (400); the invitation stays pending', async () => {
      const a = await signup(c, 'Resetless');
      const email = freshEmail('wrong-door');
      const { id } = await invite(a, email);
      const token = await linkFor(email);
      const res = await c.post('/api/v1/auth/reset-password', { token, password: NEW_PASSWORD });
      expect(res.status).toBe(400);
      expect(await userRow(email)).toMatchObject({ id, password_hash: null });
      expect(await membership(a.tenantId, id)).toEqual({ role: 'member', status: 'invited' });
      expect((await c.post('/api/v1/auth/invitation', { token })).status).toBe(200);
    });
  });

  describe('expiry, resend and revoke', () => {
    const expire = (tenantId: string, userId: string) =>
      owner.query(
        `UPDATE invitations SET expires_at = now() - interval '1 second'
          WHERE tenant_id = $1 AND user_id = $2`,
        [tenantId, userId],
      );

    it('an expired invitation is neither listed nor accepted, by id or by link; the team still shows it', async () => {
      const a = await signup(c, 'Slow');
      const known = await signup(c, 'Late');
      await invite(a, known.email);
      const invitation = await pendingFrom(known, a);
      const token = await linkFor(known.email);
      await expire(a.tenantId, known.userId);

      expect(await pendingFrom(known, a)).toBeUndefined();
      expect(
        (await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, known.token)).status,
      ).toBe(404);
      expect((await c.post('/api/v1/auth/invitation', { token })).status).toBe(400);
      expect(
        (await c.post('/api/v1/auth/accept-invite', { token, password: PASSWORD })).status,
      ).toBe(400);
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'member',
        status: 'invited',
      });
      const members = bodyOf(await c.get('/api/v1/users', a.token), 200);
      const shown = members.data.find((m: { id: string }) => m.id === known.userId);
      expect(shown.status).toBe('invited');
      expect(Date.parse(shown.invitationExpiresAt)).toBeLessThan(Date.now());
    });

    it('resend mails a new link and restarts the expiry; the old link dies', async () => {
      const a = await signup(c, 'Again');
      const email = freshEmail('resent');
      const { id } = await invite(a, email);
      const first = await linkFor(email);
      await expire(a.tenantId, id);

      const res = await c.post(`/api/v1/users/${id}/invitation/resend`, {}, a.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'invited', fullName: 'Typed Name' });
      expect(Date.parse(res.body.invitationExpiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
      const second = await linkFor(email, first);
      expect((await c.post('/api/v1/auth/invitation', { token: first })).status).toBe(400);
      const stored = await owner.query('SELECT token_hash FROM invitations WHERE user_id = $1', [
        id,
      ]);
      expect(stored.rows.map((r) => r.token_hash.toString('hex'))).toEqual([
        createHash('sha256').update(second).digest('hex'),
      ]);
      expect(
        (await c.post('/api/v1/auth/accept-invite', { token: second, password: NEW_PASSWORD }))
          .status,
      ).toBe(200);
      // accepted: nothing left to resend or revoke
      const late = await c.post(`/api/v1/users/${id}/invitation/resend`, {}, a.token);
      expect(late.status).toBe(409);
    });

    it('copy link: a new link answered to the admin, not mailed, stored hashed; the mailed one dies', async () => {
      const a = await signup(c, 'Copier');
      const email = freshEmail('copied');
      const { id } = await invite(a, email);
      const mailed = await linkFor(email);
      await expire(a.tenantId, id);
      const mailsTo = () => smtp.mails.filter((m) => m.to.includes(email)).length;
      const mailsBefore = mailsTo();

      const res = await c.post(`/api/v1/users/${id}/invitation/link`, {}, a.token);
      const link = bodyOf(res, 200);
      expect(Object.keys(link).sort()).toEqual(['expiresAt', 'url']);
      expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
      const token = ACCEPT_LINK.exec(link.url)?.[1] as string;
      expect(link.url).toBe(`http://console.test/accept-invite?token=${token}`);
      // the team shows the new expiry; no mail was sent
      const members = bodyOf(await c.get('/api/v1/users', a.token), 200).data;
      expect(members.find((m: { id: string }) => m.id === id).invitationExpiresAt).toBe(
        link.expiresAt,
      );
      expect(mailsTo()).toBe(mailsBefore);
      // only the SHA-256 is stored; the mailed link no longer works, the copied one does
      const stored = await owner.query('SELECT token_hash FROM invitations WHERE user_id = $1', [
        id,
      ]);
      expect(stored.rows.map((r) => r.token_hash.toString('hex'))).toEqual([
        createHash('sha256').update(token).digest('hex'),
      ]);
      expect((await c.post('/api/v1/auth/invitation', { token: mailed })).status).toBe(400);
      expect(bodyOf(await c.post('/api/v1/auth/invitation', { token }), 200)).toMatchObject({
        tenant: { id: a.tenantId },
        email,
      });
      const events = bodyOf(
        await c.get(`/api/v1/audit-events?action=member.invitation_link_created`, a.token),
        200,
      ).data;
      expect(events.map((e: { resourceId: string }) => e.resourceId)).toEqual([id]);
      bodyOf(await c.post('/api/v1/auth/accept-invite', { token, password: NEW_PASSWORD }), 200);
      // accepted: no link to copy
      expect((await c.post(`/api/v1/users/${id}/invitation/link`, {}, a.token)).status).toBe(409);
    });

    it('revoke: the link dies, an account nobody claimed goes; an accepted member is not revoked (409)', async () => {
      const a = await signup(c, 'Revoker');
      const email = freshEmail('revoked');
      const { id } = await invite(a, email);
      const token = await linkFor(email);
      expect((await c.delete(`/api/v1/users/${id}/invitation`, a.token)).status).toBe(204);
      expect(await membership(a.tenantId, id)).toBeUndefined();
      expect(await userRow(email)).toBeUndefined();
      expect((await c.post('/api/v1/auth/invitation', { token })).status).toBe(400);
      expect((await c.delete(`/api/v1/users/${id}/invitation`, a.token)).status).toBe(404);

      const known = await signup(c, 'Stayer');
      await invite(a, known.email);
      const invitation = await pendingFrom(known, a);
      bodyOf(await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, known.token), 200);
      const res = await c.delete(`/api/v1/users/${known.userId}/invitation`, a.token);
      expect(res.status).toBe(409);
      expect(await membership(a.tenantId, known.userId)).toEqual({
        role: 'member',
        status: 'active',
      });
    });

    it("an admin neither resends, copies nor revokes an owner's invitation (403)", async () => {
      const a = await signup(c, 'Owners');
      const adminEmail = freshEmail('admin');
      await invite(a, adminEmail, 'admin');
      const adminSession = bodyOf(
        await c.post('/api/v1/auth/accept-invite', {
          token: await linkFor(adminEmail),
          password: NEW_PASSWORD,
        }),
        200,
      );
      const { id } = await invite(a, freshEmail('future-owner'), 'owner');
      const asAdmin = adminSession.token as string;
      expect((await c.post(`/api/v1/users/${id}/invitation/resend`, {}, asAdmin)).status).toBe(403);
      expect((await c.post(`/api/v1/users/${id}/invitation/link`, {}, asAdmin)).status).toBe(403);
      expect((await c.delete(`/api/v1/users/${id}/invitation`, asAdmin)).status).toBe(403);
      expect(await membership(a.tenantId, id)).toEqual({ role: 'owner', status: 'invited' });
    });
  });

  it('three tenants inviting one new email at once all succeed, with one account', async () => {
    const hosts = [await signup(c, 'Race1'), await signup(c, 'Race2'), await signup(c, 'Race3')];
    const email = freshEmail('contested');
    let next = 0;
    const { results, heldTogether } = await raceAtBarrier(db, owner, 'users', 3, () => {
      const by = hosts[next++];
      return c.post('/api/v1/users', { email, fullName: 'Contested', role: 'member' }, by.token);
    });
    expect(heldTogether).toBe(3);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    for (const h of hosts)
      expect(await membership(h.tenantId, id)).toEqual({ role: 'member', status: 'invited' });
  });
});
