import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import {
  TestDatabase,
  connectAsOwner,
  createTestDatabase,
  migrateFully,
} from '../testing/test-database';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Migration 006 moves invitation links out of password_resets. Data as the
 * code before it wrote it (an invitation was a password_resets row with
 * purpose 'invite'), then the upgrade, then the API: links already mailed
 * keep working through the new route.
 */
describe('migration 006: invitations already sent survive the upgrade', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  const tenantId = randomUUID();
  const [inviter, linked, linkless] = [randomUUID(), randomUUID(), randomUUID()];
  const linkedEmail = `linked-${randomBytes(4).toString('hex')}@example.com`;
  const token = randomBytes(32).toString('base64url');
  const resetToken = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    db = await createTestDatabase({ migrateBefore: '006_' });
    owner = await connectAsOwner(db);
    await owner.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Legacy Calls', $2)`, [
      tenantId,
      `legacy-${tenantId.slice(0, 8)}`,
    ]);
    await owner.query(
      `INSERT INTO users (id, email, full_name, password_hash) VALUES
         ($1, $4, 'Old Inviter', 'x'), ($2, $5, 'Linked Invitee', NULL), ($3, $6, 'Linkless Invitee', NULL)`,
      [
        inviter,
        linked,
        linkless,
        `inviter-${inviter.slice(0, 8)}@example.com`,
        linkedEmail,
        `linkless-${linkless.slice(0, 8)}@example.com`,
      ],
    );
    await owner.query(
      `INSERT INTO tenant_users (tenant_id, user_id, role, status) VALUES
         ($1, $2, 'owner', 'active'), ($1, $3, 'member', 'invited'), ($1, $4, 'viewer', 'invited')`,
      [tenantId, inviter, linked, linkless],
    );
    await owner.query(
      `INSERT INTO password_resets (user_id, token_hash, purpose, invited_tenant_id, expires_at) VALUES
         ($1, $2, 'invite', $3, now() + interval '7 days'),
         ($4, $5, 'reset', NULL, now() + interval '1 hour')`,
      [linked, sha256(token), tenantId, inviter, sha256(resetToken)],
    );
    await migrateFully(db);
    t = await startTestApp(db);
    c = client(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('gives every invited membership its invitation, and leaves reset links alone', async () => {
    const { rows } = await owner.query(
      `SELECT user_id, full_name, token_hash, expires_at > now() AS live
         FROM invitations WHERE tenant_id = $1 ORDER BY full_name`,
      [tenantId],
    );
    expect(rows).toEqual([
      { user_id: linked, full_name: 'Linked Invitee', token_hash: sha256(token), live: true },
      // no link to carry over: expired, for an admin to resend
      {
        user_id: linkless,
        full_name: 'Linkless Invitee',
        token_hash: expect.any(Buffer),
        live: false,
      },
    ]);
    const resets = await owner.query('SELECT user_id, token_hash FROM password_resets');
    expect(resets.rows).toEqual([{ user_id: inviter, token_hash: sha256(resetToken) }]);
  });

  it('accepts a link mailed before the upgrade through /auth/accept-invite', async () => {
    const preview = bodyOf(await c.post('/api/v1/auth/invitation', { token }), 200);
    expect(preview).toMatchObject({
      tenant: { id: tenantId, name: 'Legacy Calls' },
      role: 'member',
      email: linkedEmail,
      hasAccount: false,
    });
    const res = await c.post('/api/v1/auth/accept-invite', {
      token,
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenant: { id: tenantId }, role: 'member' });
    const { rows } = await owner.query(
      'SELECT status FROM tenant_users WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, linked],
    );
    expect(rows).toEqual([{ status: 'active' }]);
  });

  it('new tenants work as usual on the upgraded database (control)', async () => {
    const a = await signup(c, 'After');
    expect((await c.get('/api/v1/invitations', a.token)).status).toBe(200);
  });
});
