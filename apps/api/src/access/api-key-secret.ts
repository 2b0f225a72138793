import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PATTERN, API_KEY_PREFIX } from '@acc/contracts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^43 > 2^256: 43 characters hold any 32 bytes. */
const SECRET_CHARS = 43;
/** Characters of the secret kept for display: 36 of its 256 bits, the rest stays unknown. */
const DISPLAY_CHARS = 6;

/** 32 bytes as a fixed-width base62 number (no bias: the number is the bytes, not a draw per character). */
export function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(SECRET_CHARS, '0');
}

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

/** A new key: shown once to its creator; the database keeps its hash and display prefix. */
export function newApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + base62(randomBytes(32));
  return {
    key,
    prefix: key.slice(0, API_KEY_PREFIX.length + DISPLAY_CHARS),
    hash: apiKeyHash(key),
  };
}

/**
 * SHA-256, not a password hash: the key is 256 random bits, so there is
 * nothing to guess from its hash, and a fast hash keeps the lookup on every
 * request cheap (docs/decisions.md).
 */
export function apiKeyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Whether a bearer credential is meant as an API key (then it never goes to the JWT check). */
export const looksLikeApiKey = (credential: string) => credential.startsWith(API_KEY_PREFIX);

export const isWellFormedApiKey = (credential: string) => API_KEY_PATTERN.test(credential);
