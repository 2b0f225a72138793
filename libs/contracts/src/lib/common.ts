import { z } from 'zod';

/** Roles, lowest to highest. The order is the permission order. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export const Uuid = z.uuid();

export const IsoDateTime = z.iso.datetime({ offset: true });

/** A search term or filter value: bounded, and free of control characters (PostgreSQL refuses NUL). */
export const searchTerm = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** Trimmed, non-empty, bounded text. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

/** Passwords: length only (NIST 800-63B); common ones are refused by the API. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const Password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;

/** Every list takes these; `cursor` is the opaque `nextCursor` of the previous page. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMIT_MAX).default(LIMIT_DEFAULT),
  cursor: z.string().max(200).optional(),
});

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** A list's order: `key` ascending or `-key` descending. */
export type Sort<K extends string> = K | `-${K}`;

/** Every sortable list starts newest first, as lists did before they could be sorted. */
export const DEFAULT_SORT = '-createdAt';

/**
 * The query of a sortable list: its fixed sort keys (`createdAt` among
 * them), each ascending or descending; ties go on by creation time, then id,
 * in the same direction. A cursor holds the sort values of a row (a name
 * can be a few hundred characters), so it may be longer than other lists'.
 */
export const sortedPageQuery = <K extends string>(keys: readonly ['createdAt', ...K[]]) => {
  type Value = Sort<K | 'createdAt'>;
  const values = keys.flatMap((k) => [k, `-${k}`]) as [Value, ...Value[]];
  return PageQuery.extend({
    cursor: z.string().max(2000).optional(),
    sort: z
      .enum(values, { error: `must be one of ${values.join(', ')}` })
      // '-createdAt' is one of the values (keys start with createdAt); zod's type of an enum over a generic K cannot tell
      .default(DEFAULT_SORT as never)
      .describe(
        'the order: a key ascending, -key descending; ties by creation time, then id, the same way. ' +
          'A cursor goes with the sort it was made with (another sort: 400)',
      ),
  });
};

/** Which way a sort value orders, and by which key. */
export function sortKey<K extends string>(sort: Sort<K>): { key: K; descending: boolean } {
  const descending = sort.startsWith('-');
  return { key: (descending ? sort.slice(1) : sort) as K, descending };
}

export interface CountedPage<T> extends Page<T> {
  total: number | null;
}

/** A sortable list's page: with the number of rows its filters match, counted on the first page. */
export const countedPageOf = <T extends z.ZodType>(item: T) =>
  pageOf(item).extend({
    total: z
      .number()
      .int()
      .nullable()
      .describe(
        'rows matching the filters, counted on the first page (no cursor); null on later pages',
      ),
  });

/** The one error shape of the API. */
export const ApiError = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.union([z.string(), z.array(z.string())]),
  requestId: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

const zoneChecks = new Map<string, boolean>();

/**
 * Whether the runtime knows a time zone. Building the Intl.DateTimeFormat
 * that tells costs more than checking the rest of a lead, and a CSV import
 * repeats a handful of zones: each answer is kept (bounded, for files of
 * thousands of distinct bad values).
 */
function knownTimeZone(tz: string): boolean {
  let ok = zoneChecks.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (zoneChecks.size >= 1_000) zoneChecks.clear();
    zoneChecks.set(tz, ok);
  }
  return ok;
}

/** IANA time zone, checked against the runtime's zone database. */
export const TimeZone = z
  .string()
  .max(64)
  .refine(knownTimeZone, 'must be an IANA time zone such as Europe/Paris');

/**
 * A date-time with its offset that PostgreSQL can store: ISO 8601 lets
 * through year 0 and offsets past +-15:59, which timestamptz refuses.
 */
export const StorableDateTime = z.iso
  .datetime({
    offset: true,
    error: 'must be a date-time with its time zone, such as 2026-03-01T09:30:00Z',
  })
  .refine(
    (v) => !/^0000|[+-](?:1[6-9]|2\d):\d\d$/.test(v),
    'must be a date-time with its time zone, such as 2026-03-01T09:30:00Z',
  );

/** Size of a JSON value once serialised; bounds free-form jsonb columns. */
export function jsonSize(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value ?? null)).length;
}

/** Deepest nesting a free-form JSON value may have. */
export const JSON_MAX_DEPTH = 20;

/**
 * Whether a value nests deeper than max, walked without recursion: a few kB
 * of brackets nest thousands deep, deep enough to overflow JSON.stringify.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return false;
}

export const boundedJson = (maxBytes: number) =>
  z.record(z.string().max(100), z.unknown()).superRefine((v, ctx) => {
    if (nestsDeeperThan(v, JSON_MAX_DEPTH))
      ctx.addIssue({ code: 'custom', message: `must nest at most ${JSON_MAX_DEPTH} levels deep` });
    else if (jsonSize(v) > maxBytes)
      ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes of JSON` });
  });
