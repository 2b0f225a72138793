import { parsePhoneNumberWithError, ParseError } from 'libphonenumber-js/min';
import { z } from 'zod';

/** Numbers without a leading + are read as this region. */
export const DEFAULT_PHONE_REGION = 'US';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** Normalises a phone number to E.164, or says why it cannot. */
export function normalizePhone(raw: string): PhoneResult {
  const input = raw.trim();
  if (!input) return { ok: false, reason: 'phone is required' };
  if (input.length > 32) return { ok: false, reason: 'phone is too long' };
  try {
    const parsed = parsePhoneNumberWithError(input, DEFAULT_PHONE_REGION);
    if (!parsed.isValid()) return { ok: false, reason: `phone "${input}" is not a valid number` };
    return { ok: true, e164: parsed.number };
  } catch (e) {
    const code = e instanceof ParseError ? e.message : 'INVALID';
    return { ok: false, reason: `phone "${input}" is not a phone number (${code.toLowerCase()})` };
  }
}

/** A phone number in any common notation, normalised to E.164. */
export const Phone = z.string().transform((raw, ctx) => {
  const r = normalizePhone(raw);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.e164;
});
