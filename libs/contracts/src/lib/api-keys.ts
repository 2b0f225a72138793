import { z } from 'zod';
import { IsoDateTime, PageQuery, Uuid, pageOf, text } from './common';

/** A key acts at one of these roles; never owner (the tenant itself is people's business). */
export const API_KEY_ROLES = ['viewer', 'member', 'admin'] as const;
export const ApiKeyRole = z.enum(API_KEY_ROLES);
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

/**
 * A workspace API key as written in `Authorization: Bearer ...`: `acc_` then
 * 43 base62 characters (32 random bytes). The prefix tells an API key from a
 * sign-in token (and lets secret scanners find leaked keys).
 */
export const API_KEY_PREFIX = 'acc_';
export const API_KEY_PATTERN = /^acc_[0-9A-Za-z]{43}$/;

/** A key as listed: never its secret, only the first characters of it (`prefix`). */
export const ApiKey = z.object({
  id: Uuid,
  name: z.string(),
  /** `acc_` and the first 6 characters of the secret */
  prefix: z.string(),
  role: ApiKeyRole,
  createdAt: IsoDateTime,
  /** null: never expires */
  expiresAt: IsoDateTime.nullable(),
  /** recorded within about a minute of use, not on every request */
  lastUsedAt: IsoDateTime.nullable(),
  /** who created it; null when that account is gone */
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = pageOf(ApiKey);
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const ApiKeyListQuery = PageQuery;
export type ApiKeyListQuery = z.infer<typeof ApiKeyListQuery>;

export const CreateApiKeyRequest = z.strictObject({
  name: text(100),
  role: ApiKeyRole,
  expiresAt: IsoDateTime.refine((d) => Date.parse(d) > Date.now(), 'must be in the future')
    .nullable()
    .optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** POST /api-keys: the key itself, in this answer only. */
export const CreatedApiKey = ApiKey.extend({ key: z.string().regex(API_KEY_PATTERN) });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
