import { LeadImportRow } from '@acc/contracts';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntitySql } from '../database/entity-sql';
import type { LeadEntity } from './lead.entity';

/** Joins an array cell into one text for unnest; no tag or list value may contain it. */
const ARRAY_SEPARATOR = '\u001f';

export interface ImportSql {
  /** INSERT of the rows whose phone is new: RETURNING phone */
  insertNew: string;
  /** UPDATE of the leads of the other rows' phones */
  updateExisting: string;
  /** $1 the tenant, then one array per importable field */
  params(tenantId: string, rows: LeadImportRow[]): unknown[];
}

/**
 * The import's two set-based statements, generated from the entity and the
 * contract's import row, so a new lead field is imported without a line
 * here. Rows travel as parallel arrays (unnest), never one statement per row.
 * The UPDATE runs with a fresh snapshot, so a phone another transaction
 * inserted meanwhile is updated, not lost. `phone = ANY` lets the
 * (tenant_id, phone) index find the leads: joined on phone alone, a planner
 * that believes the tenant has few leads (statistics older than the import)
 * scans all of them once per row.
 */
export function buildImportSql(e: EntitySql<LeadEntity>): ImportSql {
  const fields = Object.keys(LeadImportRow.shape) as Array<keyof LeadImportRow & string>;
  const cols = fields.map((f) => e.column(f));
  const name = (c: ColumnMetadata) => c.databaseName;
  // arrays travel joined (unnest cannot take arrays of arrays of different lengths)
  const paramType = (c: ColumnMetadata) => (c.isArray ? 'text' : (c.type as string));
  const value = (c: ColumnMetadata) =>
    c.isArray ? `string_to_array(u.${name(c)}, E'\\x1f')` : `u.${name(c)}`;
  const phoneParam = fields.indexOf('phone') + 2;
  const rowsSql = `unnest(${cols.map((c, i) => `$${i + 2}::${paramType(c)}[]`).join(', ')})
       AS u(${cols.map(name).join(', ')})`;

  const insertNew = `INSERT INTO leads (tenant_id, ${cols.map(name).join(', ')})
SELECT $1, ${cols.map((c) => withDefault(value(c), c)).join(', ')}
  FROM ${rowsSql}
ON CONFLICT (tenant_id, phone) DO NOTHING
RETURNING phone`;

  const updates = cols
    .filter((c) => c.propertyName !== 'phone')
    .map((c) =>
      c.type === 'jsonb'
        ? // custom fields merge: the row's keys over the lead's
          `${name(c)} = coalesce(l.${name(c)} || ${value(c)}, l.${name(c)})`
        : `${name(c)} = coalesce(${value(c)}, l.${name(c)})`,
    );
  const updateExisting = `UPDATE leads l SET
  ${updates.join(',\n  ')}
  FROM ${rowsSql}
 WHERE l.tenant_id = $1 AND l.phone = ANY ($${phoneParam}::text[]) AND l.phone = u.phone`;

  const params = (tenantId: string, rows: LeadImportRow[]) => [
    tenantId,
    ...cols.map((c) => {
      const f = c.propertyName as keyof LeadImportRow;
      if (c.type === 'jsonb')
        return rows.map((r) => (r[f] === undefined ? null : JSON.stringify(r[f])));
      if (c.isArray)
        return rows.map((r) => (r[f] as string[] | undefined)?.join(ARRAY_SEPARATOR) ?? null);
      return rows.map((r) => r[f] ?? null);
    }),
  ];
  return { insertNew, updateExisting, params };
}

/** A NOT NULL column with a default takes it where the row is silent. */
function withDefault(expr: string, c: ColumnMetadata): string {
  if (c.isNullable || c.default === undefined) return expr;
  const d =
    typeof c.default === 'function' ? (c.default as () => string)() : `'${String(c.default)}'`;
  return `coalesce(${expr}, ${d})`;
}

const built = new WeakMap<EntitySql<LeadEntity>, ImportSql>();

export function importSql(e: EntitySql<LeadEntity>): ImportSql {
  let sql = built.get(e);
  if (!sql) built.set(e, (sql = buildImportSql(e)));
  return sql;
}
