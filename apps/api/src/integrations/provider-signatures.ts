import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How each provider proves that a webhook is its own, checked against the
 * tenant's stored secret and the exact bytes received. Pure functions.
 */

type Headers = Record<string, string | string[] | undefined>;

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Equality in constant time, whatever the lengths (digests are compared, never the strings). */
function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

const hmacHex = (key: string, ...parts: Array<Buffer | string>) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/**
 * Vapi sends its server-URL credential in one of three ways
 * (docs.vapi.ai/server-url/server-authentication): a Bearer Token credential
 * (`Authorization: Bearer <secret>`), an HMAC credential (`x-vapi-signature`:
 * the hex HMAC-SHA256 of the body, no timestamp), or the older inline
 * `secret` (`x-vapi-secret: <secret>`). Any one of them, correct, will do.
 */
export function vapiAuthentic(h: Headers, rawBody: Buffer, secret: string): boolean {
  const auth = header(h, 'authorization');
  const bearer = auth && /^Bearer (.+)$/i.exec(auth)?.[1];
  if (bearer && same(bearer, secret)) return true;
  const legacy = header(h, 'x-vapi-secret');
  if (legacy && same(legacy, secret)) return true;
  const signature = header(h, 'x-vapi-signature')?.toLowerCase();
  return !!signature && same(signature, hmacHex(secret, rawBody));
}

/** How far the timestamp of a Retell signature may be from our clock (the SDK's own window). */
export const RETELL_TOLERANCE_MS = 5 * 60_000;

/**
 * Retell signs with the API key (docs.retellai.com/features/secure-webhook):
 * `x-retell-signature: v=<ms since epoch>,d=<hex HMAC-SHA256 of body + v>`,
 * as retell-sdk's sign(body, apiKey) makes it. A signature older or newer than
 * five minutes is refused, like the SDK's verify does: a captured request
 * cannot be replayed later.
 */
export function retellAuthentic(
  h: Headers,
  rawBody: Buffer,
  apiKey: string,
  nowMs: number,
): boolean {
  const m = /^v=(\d{1,16}),d=([0-9a-f]{64})$/i.exec(header(h, 'x-retell-signature') ?? '');
  if (!m) return false;
  if (Math.abs(nowMs - Number(m[1])) > RETELL_TOLERANCE_MS) return false;
  return same(m[2].toLowerCase(), hmacHex(apiKey, rawBody, m[1]));
}
