import type { Where } from './pagination';

/** How a contract field is written: its column and, for json or arrays, a cast. */
export type ColumnSpec = string | { column: string; cast?: 'jsonb' | 'smallint[]' | 'text[]' };
export type ColumnMap<T> = { [K in keyof T]?: ColumnSpec };

/** `col = $n` pairs for the fields present in a PATCH body; parameters go into `sql`. */
export function assignments<T extends object>(body: T, map: ColumnMap<T>, sql: Where): string[] {
  const out: string[] = [];
  for (const [field, spec] of Object.entries(map) as Array<[keyof T, ColumnSpec]>) {
    const value = body[field];
    if (value === undefined) continue;
    const { column, cast } = typeof spec === 'string' ? { column: spec, cast: undefined } : spec;
    const v = cast === 'jsonb' ? JSON.stringify(value) : value;
    out.push(`${column} = ${sql.param(v)}${cast ? `::${cast}` : ''}`);
  }
  return out;
}

/** The Postgres error code behind a TypeORM QueryFailedError (or a pg error). */
export function pgCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
}

export function pgConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: string; driverError?: { constraint?: string } };
  return err?.driverError?.constraint ?? err?.constraint;
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
