// Tokens for the leads page without logins (no argon2 in the measured process).
import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import pg from 'pg';

/**
 * A fresh secret (to give the server as JWT_SECRET) and tokens signed with
 * it carrying the claims a login issues, for up to `count` owners of the
 * tenants seeded in the database at ownerUrl (bench_plan), spread over them.
 */
export async function signedOwnerTokens(ownerUrl, count = 10) {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const plan = (
    await owner.query(
      `SELECT p.id, p.user_id, u.token_version FROM bench_plan p JOIN users u ON u.id = p.user_id
        WHERE p.n > 0 ORDER BY p.n`,
    )
  ).rows;
  await owner.end();
  const secret = randomBytes(48).toString('base64url');
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const spread = Math.min(count, plan.length);
  const tokens = Array.from({ length: spread }, (_, i) => {
    const p = plan[Math.floor((i * plan.length) / spread)];
    return jwt.sign({ tid: p.id, role: 'owner', ver: p.token_version }, key, {
      algorithm: 'HS256',
      subject: p.user_id,
      issuer: 'ai-call-center',
      audience: 'ai-call-center-api',
      expiresIn: 3600,
    });
  });
  return { secret, tokens };
}
