import { createHash } from 'node:crypto';
import { API_KEY_PATTERN } from '@acc/contracts';
import {
  apiKeyHash,
  base62,
  isWellFormedApiKey,
  looksLikeApiKey,
  newApiKey,
} from './api-key-secret';

describe('API key secrets', () => {
  it('write any 32 bytes as exactly 43 base62 characters, and different bytes differently', () => {
    const zero = base62(Buffer.alloc(32, 0));
    const max = base62(Buffer.alloc(32, 0xff));
    expect(zero).toBe('0'.repeat(43));
    expect(max).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(BigInt(`0x${'ff'.repeat(32)}`)).toBeLessThan(62n ** 43n);
    const one = Buffer.alloc(32, 0);
    one[31] = 1;
    expect(base62(one)).toBe(`${'0'.repeat(42)}1`);
    one[31] = 62;
    expect(base62(one)).toBe(`${'0'.repeat(41)}10`);
  });

  it('make acc_ keys that the contract accepts, with a display prefix and the SHA-256 of the whole key', () => {
    const k = newApiKey();
    expect(k.key).toMatch(API_KEY_PATTERN);
    expect(k.prefix).toBe(k.key.slice(0, 10));
    expect(k.hash).toEqual(createHash('sha256').update(k.key).digest());
    expect(apiKeyHash(k.key)).toEqual(k.hash);
    expect(newApiKey().key).not.toBe(k.key);
  });

  it('tell keys from tokens, and well-formed keys from the rest', () => {
    const { key } = newApiKey();
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key} `)).toBe(false);
  });
});
