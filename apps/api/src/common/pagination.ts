import { BadRequestException } from '@nestjs/common';
import { DEFAULT_SORT, type Page, sortKey } from '@acc/contracts';
import type { EntitySql } from '../database/entity-sql';

/** Position after the last row of a page: (created_at, id), newest first. */
export interface Keyset {
  ts: string;
  id: string;
}

/** SQL for the keyset column: created_at as exact ISO text (microseconds kept). */
export const keysetTs = (alias: string) =>
  `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "_ts"`;

const ISO_US = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(k: Keyset): string {
  return Buffer.from(`${k.ts}|${k.id}`, 'utf8').toString('base64url');
}

/** The opaque cursor back to a keyset; anything else is a 400, never a query. */
export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  const [ts, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !ISO_US.test(ts ?? '') || !UUID.test(id ?? '')) {
    throw new BadRequestException(['cursor: not a cursor returned by this API']);
  }
  return { ts, id };
}

/**
 * Turns limit + 1 fetched rows into a page: the extra row only says there is
 * a next page; the cursor points after the last row returned.
 */
export function toPage<T extends { id: string; _ts?: string }>(
  rows: T[],
  limit: number,
): Page<Omit<T, '_ts'>> {
  const more = rows.length > limit;
  const last = more ? rows[limit - 1] : undefined;
  const nextCursor = last ? encodeCursor({ ts: last._ts as string, id: last.id }) : null;
  const data = more ? rows.slice(0, limit) : rows;
  // JSON leaves a property out when its value is undefined: the answer a copy
  // of each row without _ts gives, without copying every row (issue 17)
  for (const row of data) row._ts = undefined;
  return { data, nextCursor };
}

/** Collects WHERE clauses and their parameters, so filters never concatenate values into SQL. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a clause; each `?` becomes the next positional parameter. */
  add(clause: string, ...values: unknown[]): this {
    const parts = clause.split('?');
    let sql = parts[0];
    for (let i = 1; i < parts.length; i++) sql += `$${this.params.push(values[i - 1])}${parts[i]}`;
    this.clauses.push(sql);
    return this;
  }

  /** The keyset condition for newest-first order on (created_at, id). */
  after(alias: string, k: Keyset | null, idColumn = 'id'): this {
    return k
      ? this.add(
          `(${alias}.created_at, ${alias}.${idColumn}) < (?::timestamptz, ?::uuid)`,
          k.ts,
          k.id,
        )
      : this;
  }

  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * A list's page: newest first on (created_at, id), one row more than asked
 * (toPage turns it into nextCursor). Every filter of `where` leads with
 * tenant_id, so an index on (tenant_id, ..., created_at, id) serves both the
 * filter and the order, and page 1,000 costs what page 1 costs.
 */
export function pageQuery<T>(
  e: EntitySql<T>,
  where: Where,
  cursor: string | undefined,
  limit: number,
  except: Array<keyof T & string> = [],
): { sql: string; params: unknown[] } {
  where.after(e.alias, decodeCursor(cursor));
  const limitParam = where.param(limit + 1);
  const sql = e.statement(
    `page ${except.join(',')} ${where}`,
    () => `SELECT ${e.selectList({ except })}, ${keysetTs(e.alias)} FROM ${e.table} ${e.alias} ${where}
    ORDER BY ${e.alias}.created_at DESC, ${e.alias}.id DESC LIMIT ${limitParam}`,
  );
  return { sql, params: where.params };
}

/** How a sort column's value is written in a cursor and cast back in SQL. */
type SortType = 'timestamptz' | 'text' | 'int' | 'uuid';

/**
 * The leading column of a list order other than creation time: SQL that is
 * never NULL (a NULL compares as unknown, and the keyset would drop its
 * rows), with an index on (tenant_id, it, created_at, id) where the table
 * can be large, scanned forward for ascending and backward for descending.
 */
export interface SortColumn {
  sql: string;
  type: SortType;
}

const SORT_VALUE: Record<SortType, (v: unknown) => boolean> = {
  timestamptz: (v) => typeof v === 'string' && ISO_US.test(v),
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  int: (v) => typeof v === 'string' && /^-?\d{1,9}$/.test(v),
  // PostgreSQL refuses NUL in text: a cursor holding one is not ours
  text: (v) => typeof v === 'string' && v.length <= 500 && !v.includes('\u0000'),
};

const asText = ({ sql, type }: SortColumn): string =>
  type === 'timestamptz'
    ? `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : `(${sql})::text`;

/** The sort a cursor was made for: the plain (created_at, id) ones are the default order's. */
function cursorSort(cursor: string): { sort: string; values: unknown[] } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text.startsWith('[')) {
    try {
      const [sort, ...values] = JSON.parse(text) as unknown[];
      if (typeof sort === 'string') return { sort, values };
    } catch {
      return null;
    }
    return null;
  }
  const k = decodeCursor(cursor) as Keyset;
  return { sort: DEFAULT_SORT, values: [k.ts, k.id] };
}

function wrongSort(made: string, sort: string): BadRequestException {
  return new BadRequestException([
    `cursor: made for sort=${made}, not sort=${sort}; ask for the first page again with sort=${sort}`,
  ]);
}

/**
 * A sortable list's page (sort = `key` or `-key`): the leading column of the
 * key, then created_at and id, all in the sort's direction, so the order is
 * total and a keyset page starts exactly after the previous one. The default
 * order is pageQuery's, cursors and all, as before lists could be sorted.
 * Its cursor holds the sort and the last row's values: one made for another
 * sort is a 400 saying so.
 */
export function sortedPageQuery<T>(
  e: EntitySql<T>,
  where: Where,
  sort: string,
  lead: SortColumn | null,
  cursor: string | undefined,
  limit: number,
  except: Array<keyof T & string> = [],
): { sql: string; params: unknown[] } {
  const made = cursor ? cursorSort(cursor) : null;
  if (cursor && !made) throw new BadRequestException(['cursor: not a cursor returned by this API']);
  if (made && made.sort !== sort) throw wrongSort(made.sort, sort);
  if (sort === DEFAULT_SORT) return pageQuery(e, where, cursor, limit, except);
  const columns: SortColumn[] = [
    ...(lead ? [lead] : []),
    { sql: `${e.alias}.created_at`, type: 'timestamptz' },
    { sql: `${e.alias}.id`, type: 'uuid' },
  ];
  const { descending } = sortKey(sort);
  if (made) {
    const ok =
      made.values.length === columns.length &&
      columns.every((c, i) => SORT_VALUE[c.type](made.values[i]));
    if (!ok) throw new BadRequestException(['cursor: not a cursor returned by this API']);
    where.add(
      `(${columns.map((c) => c.sql).join(', ')}) ${descending ? '<' : '>'} (${columns
        .map((c) => `?::${c.type}`)
        .join(', ')})`,
      ...made.values,
    );
  }
  const direction = descending ? 'DESC' : 'ASC';
  const limitParam = where.param(limit + 1);
  const sql = e.statement(
    `sorted ${sort} ${lead?.sql ?? ''} ${except.join(',')} ${where}`,
    () => `SELECT ${e.selectList({ except })}, ${columns
      .map((c, i) => `${asText(c)} AS "_k${i}"`)
      .join(', ')} FROM ${e.table} ${e.alias} ${where}
    ORDER BY ${columns.map((c) => `${c.sql} ${direction}`).join(', ')} LIMIT ${limitParam}`,
  );
  return { sql, params: where.params };
}

type SortedRow = { id: string; _ts?: string } & Record<`_k${number}`, string | undefined>;

/**
 * Rows of sortedPageQuery as a page: like toPage, with the default order's
 * cursor or, for any other order, one holding the sort and the sort values
 * of the last row returned.
 */
export function toSortedPage<T extends SortedRow>(
  rows: T[],
  limit: number,
  sort: string,
): Page<Omit<T, '_ts' | `_k${number}`>> {
  type Row = Omit<T, '_ts' | `_k${number}`>;
  if (sort === DEFAULT_SORT) return toPage(rows, limit) as Page<Row>;
  const keys = (row: T) => Object.keys(row).filter((k) => /^_k\d+$/.test(k));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const data = page.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const k of keys(row)) delete out[k];
    return out as Row;
  });
  const last = more ? rows[limit - 1] : undefined;
  const nextCursor = last
    ? Buffer.from(
        JSON.stringify([sort, ...keys(last).map((k) => last[k as `_k${number}`])]),
        'utf8',
      ).toString('base64url')
    : null;
  return { data, nextCursor };
}

/** How many rows a list's filters match (before any cursor or limit is added to `where`). */
export function countQuery<T>(e: EntitySql<T>, where: Where): { sql: string; params: unknown[] } {
  return {
    sql: e.statement(
      `count ${where}`,
      () => `SELECT count(*)::int AS total FROM ${e.table} ${e.alias} ${where}`,
    ),
    params: where.params,
  };
}
