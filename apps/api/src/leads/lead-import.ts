import {
  CreateLeadRequest,
  Email,
  LEAD_STATUSES,
  LeadStatus,
  TimeZone,
  jsonSize,
  normalizePhone,
  CUSTOM_FIELDS_MAX_BYTES,
} from '@acc/contracts';
import { unescapeFormula } from './csv';

/** A CSV row turned into the columns of leads, or the reason it cannot be. */
export interface ImportRow {
  firstName: string | null;
  lastName: string | null;
  phone: string;
  email: string | null;
  company: string | null;
  status: LeadStatus | null;
  source: string | null;
  tags: string | null;
  timezone: string | null;
  nextCallAt: string | null;
  customFields: Record<string, string>;
}

type Known = Exclude<keyof ImportRow, 'customFields'>;

/** Header spellings people use, mapped to the lead field they mean. */
const ALIASES: Record<string, Known> = {
  first_name: 'firstName',
  firstname: 'firstName',
  first: 'firstName',
  given_name: 'firstName',
  last_name: 'lastName',
  lastname: 'lastName',
  last: 'lastName',
  surname: 'lastName',
  family_name: 'lastName',
  phone: 'phone',
  phone_number: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  tel: 'phone',
  email: 'email',
  email_address: 'email',
  e_mail: 'email',
  company: 'company',
  organization: 'company',
  organisation: 'company',
  status: 'status',
  source: 'source',
  tags: 'tags',
  timezone: 'timezone',
  time_zone: 'timezone',
  tz: 'timezone',
  next_call_at: 'nextCallAt',
};

export function headerKey(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Columns of our own export that an import reads past (they are the server's to set). */
const SERVER_COLUMNS = new Set([
  'id',
  'assigned_agent_id',
  'last_contacted_at',
  'created_at',
  'updated_at',
]);

/**
 * The header row mapped to fields; other columns go to custom fields under
 * their own name (an empty name means "ignore").
 */
export function mapHeader(header: string[]): Array<{ field: Known | null; name: string }> {
  return header.map((h) => {
    const key = headerKey(h);
    return {
      field: ALIASES[key] ?? null,
      name: SERVER_COLUMNS.has(key) ? '' : h.trim().slice(0, 100),
    };
  });
}

const MAX_TEXT = { firstName: 100, lastName: 100, company: 200, source: 100 } as const;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _:.-]{0,39}$/u;

/** The JSON API's own rule for nextCallAt. */
const NextCallAt = CreateLeadRequest.shape.nextCallAt;
/**
 * What that rule lets through but PostgreSQL refuses (year 0, an offset past
 * ±15:59), so the JSON API too: here it must cost its row, not the file.
 */
const UNSTORABLE_TIME = /^0000|[+-](?:1[6-9]|2\d):\d\d$/;

export type RowResult = { ok: true; row: ImportRow } | { ok: false; reason: string };

/**
 * TimeZone's check builds an Intl.DateTimeFormat, which costs more than the
 * rest of a row; a file repeats a handful of zones, so each answer is kept
 * (bounded, in case a file holds thousands of distinct bad values).
 */
const zoneChecks = new Map<string, boolean>();
function knownTimeZone(tz: string): boolean {
  let ok = zoneChecks.get(tz);
  if (ok === undefined) {
    ok = TimeZone.safeParse(tz).success;
    if (zoneChecks.size >= 1_000) zoneChecks.clear();
    zoneChecks.set(tz, ok);
  }
  return ok;
}

/** Validates and normalises one row exactly as the API would a JSON lead; nothing half-valid passes. */
export function parseRow(cells: string[], columns: ReturnType<typeof mapHeader>): RowResult {
  // PostgreSQL cannot store NUL: caught here, it costs this row only, not the batch
  if (cells.some((c) => c.includes('\u0000')))
    return { ok: false, reason: 'the row contains a NUL character' };
  const raw: Partial<Record<Known, string>> = {};
  const customFields: Record<string, string> = {};
  columns.forEach((col, i) => {
    const v = unescapeFormula((cells[i] ?? '').trim());
    if (!v) return;
    if (col.field) raw[col.field] = v;
    else if (col.name) customFields[col.name] = v.slice(0, 1000);
  });
  if (!raw.phone) return { ok: false, reason: 'phone is required' };
  const phone = normalizePhone(raw.phone);
  if (!phone.ok) return { ok: false, reason: phone.reason };

  for (const [field, max] of Object.entries(MAX_TEXT) as Array<[keyof typeof MAX_TEXT, number]>) {
    if ((raw[field]?.length ?? 0) > max)
      return { ok: false, reason: `${field} is longer than ${max} characters` };
  }
  let email: string | null = null;
  if (raw.email) {
    const e = Email.safeParse(raw.email);
    if (!e.success) return { ok: false, reason: `email "${raw.email}" is not a valid address` };
    email = e.data;
  }
  let status: LeadStatus | null = null;
  if (raw.status) {
    const s = raw.status.toLowerCase().replace(/[\s-]+/g, '_');
    if (!(LEAD_STATUSES as readonly string[]).includes(s)) {
      return {
        ok: false,
        reason: `status "${raw.status}" is not one of ${LEAD_STATUSES.join(', ')}`,
      };
    }
    status = s as LeadStatus;
  }
  let tags: string | null = null;
  if (raw.tags) {
    const list = [
      ...new Set(
        raw.tags
          .split(/[;|,]/)
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const bad = list.find((t) => !TAG.test(t));
    if (bad !== undefined)
      return {
        ok: false,
        reason: `tag "${bad}" is not allowed (1-40 letters, digits, space, _ : . -)`,
      };
    if (list.length > 20) return { ok: false, reason: 'at most 20 tags' };
    tags = list.join('|');
  }
  if (raw.timezone && !knownTimeZone(raw.timezone)) {
    return { ok: false, reason: `timezone "${raw.timezone}" is not an IANA time zone` };
  }
  if (
    raw.nextCallAt &&
    (!NextCallAt.safeParse(raw.nextCallAt).success || UNSTORABLE_TIME.test(raw.nextCallAt))
  ) {
    return {
      ok: false,
      reason: `next_call_at "${raw.nextCallAt}" must be a date-time with its time zone, such as 2026-03-01T09:30:00Z`,
    };
  }
  if (jsonSize(customFields) > CUSTOM_FIELDS_MAX_BYTES) {
    return { ok: false, reason: `extra columns exceed ${CUSTOM_FIELDS_MAX_BYTES} bytes` };
  }
  return {
    ok: true,
    row: {
      firstName: raw.firstName ?? null,
      lastName: raw.lastName ?? null,
      phone: phone.e164,
      email,
      company: raw.company ?? null,
      status,
      source: raw.source ?? null,
      tags,
      timezone: raw.timezone ?? null,
      nextCallAt: raw.nextCallAt ?? null,
      customFields,
    },
  };
}
