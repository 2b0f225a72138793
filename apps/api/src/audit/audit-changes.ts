import { AUDIT_SECRET_CHANGED, type AuditChange } from '@acc/contracts';

/** Fields whose values never enter the log: a change to one is recorded as "changed". */
const SECRET = /password|secret|token|keyhash|^key$|apikey|credential/i;
/** What every row has and no one changes by hand. */
const NOISE = new Set(['id', 'tenantId', 'createdAt', 'updatedAt']);

export type Changes = Record<string, AuditChange>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * {field: [old, new]} for each field whose value differs; with `fields`,
 * only those (e.g. the ones a PATCH named). Secrets: "changed", never values.
 */
export function diff(
  before: object | null | undefined,
  after: object | null | undefined,
  fields?: string[],
): Changes {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = fields ?? [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const out: Changes = {};
  for (const k of keys) {
    if (NOISE.has(k) || same(b[k], a[k])) continue;
    out[k] = SECRET.test(k) ? AUDIT_SECRET_CHANGED : [b[k] ?? null, a[k] ?? null];
  }
  return out;
}

const empty = (v: unknown) =>
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** A new resource: each field it was given, [null, value] (empty lists and objects left out). */
export function created(after: object, fields?: string[]): Changes {
  return Object.fromEntries(
    Object.entries(diff(null, after, fields)).filter(([, c]) => c === 'changed' || !empty(c[1])),
  );
}

/** A resource gone: each field it had, [value, null]. */
export const deleted = (before: object, fields?: string[]): Changes => diff(before, null, fields);

/** The fields a partial update named (undefined ones were not given). */
export const given = (body: object): string[] =>
  Object.entries(body)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);

/** Bulk work: counts, as [null, n]. */
export function counts(c: Record<string, number>): Changes {
  return Object.fromEntries(Object.entries(c).map(([k, n]) => [k, [null, n]]));
}
