import { BadRequestException } from '@nestjs/common';
import type { Page } from '@acc/contracts';
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
  const data = (more ? rows.slice(0, limit) : rows).map(({ _ts, ...rest }) => rest);
  const last = more ? rows[limit - 1] : undefined;
  return { data, nextCursor: last ? encodeCursor({ ts: last._ts as string, id: last.id }) : null };
}

/** Collects WHERE clauses and their parameters, so filters never concatenate values into SQL. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a clause; each `?` becomes the next positional parameter. */
  add(clause: string, ...values: unknown[]): this {
    let i = 0;
    this.clauses.push(clause.replace(/\?/g, () => `$${this.params.push(values[i++])}`));
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
  const sql = `SELECT ${e.selectList({ except })}, ${keysetTs(e.alias)} FROM ${e.table} ${e.alias} ${where}
    ORDER BY ${e.alias}.created_at DESC, ${e.alias}.id DESC LIMIT ${where.param(limit + 1)}`;
  return { sql, params: where.params };
}
