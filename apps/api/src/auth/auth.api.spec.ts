import { createHash, createHmac } from 'node:crypto';
import type { Client as Pg } from 'pg';
import jwt from 'jsonwebtoken';
import { Account, PASSWORD, addMember, login, signup } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sign = (header: object, payload: object, secret: string) => {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

describe('identity: signup, login, tokens, password reset (real HTTP, PostgreSQL, SMTP)', () => {
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
    c = client(t.url);
    a = await signup(c, 'Acme');
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('signup', () => {
    it('creates the tenant, its configuration and the caller as owner', async () => {
      const me = await c.get('/api/v1/auth/me', a.token);
      expect(me.status).toBe(200);
      expect(me.body.role).toBe('owner');
      expect(me.body.memberships).toEqual([
        expect.objectContaining({
          role: 'owner',
          tenant: expect.objectContaining({
            id: a.tenantId,
            slug: expect.stringMatching(/^acme-calls/),
          }),
        }),
      ]);
      const cfg = await c.get('/api/v1/tenant/config', a.token);
      expect(cfg.status).toBe(200);
      expect(cfg.body).toMatchObject({ timezone: 'UTC', recordingEnabled: true });
    });

    it('stores an argon2id hash, never the password', async () => {
      const { rows } = await owner.query('SELECT password_hash FROM users WHERE id = $1', [
        a.userId,
      ]);
      const hash: string = rows[0].password_hash;
      expect(hash.startsWith('$argon2id$v=19$')).toBe(true);
      expect(hash.split('$')[3].split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
      expect(hash).not.toContain(PASSWORD);
    });

    it('refuses a duplicate email, whatever its case (409)', async () => {
      const res = await c.post('/api/v1/auth/signup', {
        tenantName: 'Other',
        fullName: 'X',
        email: a.email.toUpperCase(),
        password: PASSWORD,
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      const tenants = await owner.query(
        `SELECT count(*)::int AS n FROM tenants WHERE name = 'Other'`,
      );
      expect(tenants.rows[0].n).toBe(0);
    });

    it.each([
      ['too short', { password: 'short' }],
      ['too long', { password: 'x'.repeat(129) }],
      ['too common', { password: 'password123' }],
      ['bad email', { email: 'not-an-email' }],
      ['unknown field', { tenantId: '00000000-0000-0000-0000-000000000000' }],
      ['empty tenant name', { tenantName: '  ' }],
    ])('rejects a %s with 400 and writes nothing', async (_case, patch) => {
      const before = await owner.query('SELECT count(*)::int AS n FROM users');
      const res = await c.post('/api/v1/auth/signup', {
        tenantName: 'Bad Input',
        fullName: 'B',
        email: `bad-${Math.random()}@example.com`,
        password: 'a fine password',
        ...patch,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const after = await owner.query('SELECT count(*)::int AS n FROM users');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('gives two tenants with the same name different slugs', async () => {
      const x = await signup(c, 'Twin');
      const y = await signup(c, 'Twin');
      const [sx, sy] = await Promise.all([
        c.get('/api/v1/tenant', x.token),
        c.get('/api/v1/tenant', y.token),
      ]);
      expect(sx.body.slug).not.toBe(sy.body.slug);
    });
  });

  describe('login', () => {
    it('answers a token with issuer, audience, expiry and the claims sub, tid, role', async () => {
      const res = await c.post('/api/v1/auth/login', {
        email: a.email.toUpperCase(),
        password: PASSWORD,
      });
      expect(res.status).toBe(200);
      const claims = jwt.verify(res.body.token, TEST_JWT_SECRET, {
        algorithms: ['HS256'],
      }) as jwt.JwtPayload;
      expect(claims).toMatchObject({
        sub: a.userId,
        tid: a.tenantId,
        role: 'owner',
        iss: 'ai-call-center',
        aud: 'ai-call-center-api',
      });
      const { exp = 0, iat = 0 } = claims;
      expect(exp - iat).toBe(24 * 3600);
      expect(new Date(res.body.expiresAt).getTime()).toBe(exp * 1000);
    });

    it('answers an unknown email and a wrong password identically (401)', async () => {
      const unknown = await c.post('/api/v1/auth/login', {
        email: 'nobody@example.com',
        password: PASSWORD,
      });
      const wrong = await c.post('/api/v1/auth/login', {
        email: a.email,
        password: 'wrong password!',
      });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect({ ...unknown.body, requestId: undefined }).toEqual({
        ...wrong.body,
        requestId: undefined,
      });
    });
  });

  describe('forged and stale tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({
      sub: a.userId,
      tid: a.tenantId,
      role: 'owner',
      ver: 0,
      iss: 'ai-call-center',
      aud: 'ai-call-center-api',
      iat: now(),
      exp: now() + 600,
    });
    const cases: Array<[string, () => string]> = [
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
      [
        'wrong secret',
        () =>
          sign({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret-of-sufficient-length-xx'),
      ],
      [
        'tampered tid',
        () => {
          const [h, , s] = sign({ alg: 'HS256', typ: 'JWT' }, claims(), TEST_JWT_SECRET).split('.');
          return `${h}.${b64({ ...claims(), tid: '11111111-1111-4111-8111-111111111111' })}.${s}`;
        },
      ],
      [
        'expired',
        () =>
          sign(
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), iat: now() - 7200, exp: now() - 3600 },
            TEST_JWT_SECRET,
          ),
      ],
      [
        'not yet valid',
        () =>
          sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), nbf: now() + 3600 }, TEST_JWT_SECRET),
      ],
      [
        'wrong audience',
        () =>
          sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), aud: 'someone-else' }, TEST_JWT_SECRET),
      ],
      [
        'wrong issuer',
        () => sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iss: 'evil' }, TEST_JWT_SECRET),
      ],
      ['HS512', () => jwt.sign({ ...claims() }, TEST_JWT_SECRET, { algorithm: 'HS512' })],
      [
        'no exp (it would never expire)',
        () => {
          const { exp: _exp, ...rest } = claims();
          return sign({ alg: 'HS256', typ: 'JWT' }, rest, TEST_JWT_SECRET);
        },
      ],
      [
        'no iat',
        () => {
          const { iat: _iat, ...rest } = claims();
          return sign({ alg: 'HS256', typ: 'JWT' }, rest, TEST_JWT_SECRET);
        },
      ],
      ['garbage', () => 'not.a.token'],
      ['empty', () => ''],
      [
        'a tenant the user is not in',
        () =>
          sign(
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), tid: '11111111-1111-4111-8111-111111111111' },
            TEST_JWT_SECRET,
          ),
      ],
      [
        'a non-uuid subject',
        () =>
          sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), sub: "' OR 1=1 --" }, TEST_JWT_SECRET),
      ],
    ];

    it('accepts a correctly signed token (control)', async () => {
      const token = sign({ alg: 'HS256', typ: 'JWT' }, claims(), TEST_JWT_SECRET);
      expect((await c.get('/api/v1/auth/me', token)).status).toBe(200);
    });

    it.each(cases)('refuses %s with 401, never 500', async (_name, make) => {
      const res = await c.get('/api/v1/tenant', make());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });
  });

  describe('password reset by mail', () => {
    let user: Account;
    beforeAll(async () => {
      user = await signup(c, 'Resetter');
    });

    it('answers 202 with the same body for an existing and an unknown email', async () => {
      smtp.clear();
      const known = await c.post('/api/v1/auth/forgot-password', { email: user.email });
      const unknown = await c.post('/api/v1/auth/forgot-password', { email: 'ghost@example.com' });
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(known.body).toEqual(unknown.body);
      await smtp.waitFor(user.email, /reset-password\?token=/);
      expect(smtp.mails.filter((m) => m.to.includes('ghost@example.com'))).toEqual([]);
    });

    it('mails a single-use FRONTEND_URL link; only its SHA-256 is stored; older JWTs die', async () => {
      smtp.clear();
      await c.post('/api/v1/auth/forgot-password', { email: user.email });
      const link = await smtp.waitFor(
        user.email,
        /(http:\/\/console\.test\/reset-password\?token=[A-Za-z0-9_-]+)/,
      );
      const token = new URL(link).searchParams.get('token') as string;
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
      const stored = await owner.query(
        `SELECT token_hash, expires_at - created_at AS ttl FROM password_resets WHERE user_id = $1 AND used_at IS NULL`,
        [user.userId],
      );
      expect(stored.rows.map((r) => r.token_hash.toString('hex'))).toContain(
        createHash('sha256').update(token).digest('hex'),
      );
      expect(JSON.stringify(stored.rows)).not.toContain(token);

      const oldJwt = user.token;
      expect((await c.get('/api/v1/auth/me', oldJwt)).status).toBe(200);
      // the page checks the link as it opens: whose, until when; checking twice spends nothing
      for (let i = 0; i < 2; i++) {
        const check = await c.post('/api/v1/auth/reset-password/check', { token });
        expect(check.status).toBe(200);
        expect(check.body).toEqual({ email: user.email, expiresAt: expect.any(String) });
        const left = Date.parse(check.body.expiresAt) - Date.now();
        expect(left).toBeGreaterThan(50 * 60_000);
        expect(left).toBeLessThanOrEqual(60 * 60_000);
      }
      const reset = await c.post('/api/v1/auth/reset-password', {
        token,
        password: 'a brand new passphrase',
      });
      expect(reset.status).toBe(204);
      expect((await c.get('/api/v1/auth/me', oldJwt)).status).toBe(401);
      expect(
        (await c.post('/api/v1/auth/login', { email: user.email, password: PASSWORD })).status,
      ).toBe(401);
      user.token = await login(c, user.email, 'a brand new passphrase');
      expect((await c.get('/api/v1/auth/me', user.token)).status).toBe(200);

      const again = await c.post('/api/v1/auth/reset-password', {
        token,
        password: 'yet another passphrase',
      });
      expect(again.status).toBe(400);
      // a used link: the check says so before anyone types a password
      const used = await c.post('/api/v1/auth/reset-password/check', { token });
      expect(used.status).toBe(400);
      expect(used.body.message).toBe(again.body.message);
    });

    it('refuses an altered or expired token', async () => {
      smtp.clear();
      await c.post('/api/v1/auth/forgot-password', { email: user.email });
      const token = await smtp.waitFor(user.email, /reset-password\?token=([A-Za-z0-9_-]+)/);
      const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      expect(
        (
          await c.post('/api/v1/auth/reset-password', {
            token: altered,
            password: 'another passphrase 1',
          })
        ).status,
      ).toBe(400);
      const check = (t: unknown) => c.post('/api/v1/auth/reset-password/check', { token: t });
      expect((await check(altered)).status).toBe(400);
      expect((await check('short')).status).toBe(400);
      expect((await check(token)).status).toBe(200);
      await owner.query(
        `UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
        [createHash('sha256').update(token).digest()],
      );
      expect((await check(token)).status).toBe(400);
      expect(
        (await c.post('/api/v1/auth/reset-password', { token, password: 'another passphrase 2' }))
          .status,
      ).toBe(400);
    });
  });

  describe('invitations', () => {
    it('invites a new email: the mailed link sets a password and activates the membership', async () => {
      const m = await addMember(c, smtp, a, 'member', 'newbie');
      const me = await c.get('/api/v1/auth/me', m.token);
      expect(me.body).toMatchObject({ tenantId: a.tenantId, role: 'member' });
      const members = await c.get('/api/v1/users', a.token);
      expect(members.body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ email: m.email, role: 'member', status: 'active' }),
        ]),
      );
    });

    it('an existing user joins a second tenant once they accept (one user, many tenants)', async () => {
      const other = await signup(c, 'Second');
      const res = await c.post(
        '/api/v1/users',
        { email: other.email, fullName: 'As typed', role: 'viewer' },
        a.token,
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: other.userId, role: 'viewer', status: 'invited' });
      await smtp.waitFor(other.email, /You are invited to/);
      expect((await c.get('/api/v1/tenants', other.token)).body.data).toHaveLength(1);
      const pending = await c.get('/api/v1/invitations', other.token);
      const [invitation] = pending.body.data;
      const accepted = await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, other.token);
      expect(accepted.status).toBe(200);
      const tenants = await c.get('/api/v1/tenants', other.token);
      expect(tenants.body.data.map((m: { tenant: { id: string } }) => m.tenant.id).sort()).toEqual(
        [a.tenantId, other.tenantId].sort(),
      );
      const dup = await c.post(
        '/api/v1/users',
        { email: other.email, fullName: 'again', role: 'viewer' },
        a.token,
      );
      expect(dup.status).toBe(409);
    });
  });
});
