import { types } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

const TIMESTAMPTZ = 1184;
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
const parseTimestamptzAsDate = types.getTypeParser(TIMESTAMPTZ);

/**
 * timestamptz as the ISO text an answer carries ("2026-11-27T13:57:46.123Z",
 * what Date#toJSON writes), never as a Date: a page of 50 leads serialises
 * 3-5x faster without its Date objects, and parsing them was 3-6% of the
 * API's CPU (docs/performance.md). Values in UTC (the server's usual TimeZone) are
 * rewritten as text; any other offset, year or infinity goes through Date.
 */
export function timestamptzToIso(text: string): string {
  // The usual value, "2026-11-27 13:57:46.123456+00", by position: 2.4x faster than the pattern
  // and no match array (a page of leads carries ~130 timestamps).
  if (
    text.length === 29 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(19) === 46 &&
    text.endsWith('+00')
  )
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const m = UTC_TEXT.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const d = parseTimestamptzAsDate(text) as Date | number;
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : text;
}

/** text[] and varchar[]: a lead's tags, an agent's lists */
const TEXT_ARRAYS = new Set([1009, 1015]);
const parseStringArray = (types.getTypeParser as (oid: number) => (text: string) => unknown)(
  1009,
) as (text: string) => Array<string | null>;
/** what makes PostgreSQL quote or nest an element, or escape a character */
const NOT_PLAIN = /["\\{}]/;

/**
 * A one-dimensional array of plain elements ("{vip,renewal}"), split at its
 * commas: pg's parser (postgres-array) makes an object per character, about
 * 38 KB of garbage per page of leads. The same answer as pg's; anything with
 * quotes, escapes, nesting or bounds goes to pg's parser.
 */
export function parseTextArray(text: string): Array<string | null> {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(last) !== 125) return parseStringArray(text);
  const inner = text.slice(1, last);
  if (inner === '') return [];
  if (NOT_PLAIN.test(inner)) return parseStringArray(text);
  const items: Array<string | null> = inner.split(',');
  for (let i = 0; i < items.length; i++) {
    if (items[i] === '') return parseStringArray(text); // never written so; pg's parser decides
    if (items[i] === 'NULL') items[i] = null;
  }
  return items;
}

/** The pg `types` option of the API's pools. */
export const apiPgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    format === 'binary'
      ? types.getTypeParser(oid, format)
      : oid === TIMESTAMPTZ
        ? timestamptzToIso
        : TEXT_ARRAYS.has(oid)
          ? parseTextArray
          : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

const TIMESTAMP_TYPES = new Set<unknown>(['timestamptz', 'timestamp with time zone']);

/**
 * The write side of timestamptz as ISO text: TypeORM turns a timestamp
 * string into a Date before sending it, which drops microseconds and
 * re-reads the offset; PostgreSQL parses the ISO text itself, exactly.
 */
export function keepTimestampsAsText(driver: PostgresDriver): void {
  const prepare = driver.preparePersistentValue.bind(driver);
  driver.preparePersistentValue = (value, column) =>
    typeof value === 'string' && TIMESTAMP_TYPES.has(column.type) ? value : prepare(value, column);
}
