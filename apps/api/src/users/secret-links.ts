import { createHash, randomBytes } from 'node:crypto';

export const RESET_TTL_MINUTES = 60;
export const INVITE_TTL_DAYS = 7;

/** 32 random bytes for a mailed link; only their SHA-256 is stored. */
export function newSecretToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
