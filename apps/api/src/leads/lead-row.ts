import { LEAD_CSV_COLUMNS, LeadImportRow } from '@acc/contracts';
import { unescapeFormula } from './csv';

type Field = Exclude<keyof LeadImportRow & string, 'customFields'>;

/** Header spellings people use, beyond the field names themselves (first_name, ...). */
const ALIASES: Record<string, Field> = {
  firstname: 'firstName',
  first: 'firstName',
  given_name: 'firstName',
  lastname: 'lastName',
  last: 'lastName',
  surname: 'lastName',
  family_name: 'lastName',
  phone_number: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  tel: 'phone',
  email_address: 'email',
  e_mail: 'email',
  organization: 'company',
  organisation: 'company',
  time_zone: 'timezone',
  tz: 'timezone',
};

const camelCase = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const FIELDS = new Set<string>(LEAD_CSV_COLUMNS.map(camelCase));

/**
 * Columns of our own export that an import reads past (they are the server's to set): the
 * assigned agent too, by name now (by id in older exports), so that re-importing an export
 * changes nothing and makes no custom field of it.
 */
const SERVER_COLUMNS = new Set([
  'id',
  'assigned_agent',
  'assigned_agent_id',
  'last_contacted_at',
  'created_at',
  'updated_at',
]);

export function headerKey(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export interface Column {
  /** the lead field this column fills, or null for a custom field */
  field: Field | null;
  /** the header as written (custom field name); '' means ignore the column */
  name: string;
}

/** The header row mapped to fields; other columns go to custom fields under their own name. */
export function mapHeader(header: string[]): Column[] {
  return header.map((h) => {
    const key = headerKey(h);
    const field = ALIASES[key] ?? (FIELDS.has(camelCase(key)) ? (camelCase(key) as Field) : null);
    return { field, name: SERVER_COLUMNS.has(key) ? '' : h.trim().slice(0, 100) };
  });
}

export type RowResult = { ok: true; row: LeadImportRow } | { ok: false; reason: string };

/** What a spreadsheet writes for a value the contract spells one way. */
const SPREADSHEET: Partial<Record<Field, (v: string) => unknown>> = {
  status: (v) => v.toLowerCase().replace(/[\s-]+/g, '_'),
  tags: (v) => v.split(/[;|,]/).filter((t) => t.trim()),
};

/**
 * One CSV row validated by the same contract as POST /api/v1/leads (every
 * field's rule, length and limit); empty cells are left out, so an update
 * keeps what the lead has. Nothing half-valid passes.
 */
export function parseRow(cells: string[], columns: Column[]): RowResult {
  // PostgreSQL cannot store NUL: caught here, it costs this row only, not the batch
  if (cells.some((c) => c.includes('\u0000')))
    return { ok: false, reason: 'the row contains a NUL character' };
  const raw: Partial<Record<Field, string>> = {};
  const customFields: Record<string, string> = {};
  columns.forEach((col, i) => {
    const v = unescapeFormula((cells[i] ?? '').trim());
    if (!v) return;
    if (col.field) raw[col.field] = v;
    else if (col.name) customFields[col.name] = v.slice(0, 1000);
  });
  if (!raw.phone) return { ok: false, reason: 'phone is required' };
  const candidate: Record<string, unknown> = { customFields };
  for (const [field, v] of Object.entries(raw) as Array<[Field, string]>) {
    candidate[field] = SPREADSHEET[field]?.(v) ?? v;
  }
  const parsed = LeadImportRow.safeParse(candidate);
  if (parsed.success) return { ok: true, row: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? '') as Field | 'customFields';
  if (field === 'customFields') return { ok: false, reason: `extra columns: ${issue.message}` };
  const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const value = `"${raw[field]}"`;
  // the phone rule's messages already quote the value
  return {
    ok: false,
    reason: issue.message.includes(value) ? issue.message : `${column} ${value}: ${issue.message}`,
  };
}
