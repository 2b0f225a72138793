import type { DataSource, EntityMetadata, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/**
 * SQL text of one entity, generated once from its TypeORM metadata, so that
 * the entity stays the single definition of its columns: select lists that
 * answer in the contract's field names, column names for filters and
 * updates. Used where a statement runs on every request (list pages) and the
 * query builder's per-call work is not worth it; writes use the builder.
 */
export class EntitySql<T> {
  readonly table: string;
  private readonly byProperty = new Map<string, ColumnMetadata>();
  /** SQL text by what it depends on (statement's key), oldest forgotten first */
  private readonly texts = new Map<string, string>();

  constructor(
    readonly meta: EntityMetadata,
    readonly alias: string,
  ) {
    this.table = meta.tableName;
    for (const c of meta.columns) this.byProperty.set(c.propertyName, c);
  }

  /** The column of a property, qualified by the alias: `l.first_name`. */
  col(property: keyof T & string): string {
    return `${this.alias}.${this.column(property).databaseName}`;
  }

  column(property: keyof T & string): ColumnMetadata {
    const c = this.byProperty.get(property);
    if (!c) throw new Error(`${this.table} has no column for ${property}`);
    return c;
  }

  /**
   * `l.first_name AS "firstName", ...` for every column the entity selects by
   * default (those marked `select: false`, such as tenant_id, never leave the
   * database), minus `except`. Without an alias for INSERT ... RETURNING.
   */
  selectList(opts: { except?: Array<keyof T & string>; qualified?: boolean } = {}): string {
    const qualified = opts.qualified !== false;
    return this.statement(`select ${qualified} ${opts.except?.join(',') ?? ''}`, () => {
      const prefix = qualified ? `${this.alias}.` : '';
      return this.meta.columns
        .filter((c) => c.isSelect && !opts.except?.includes(c.propertyName as keyof T & string))
        .map((c) => `${prefix}${c.databaseName}${readCast(c)} AS "${c.propertyName}"`)
        .join(', ');
    });
  }

  /**
   * SQL text built once: `key` must name everything `build` depends on (a
   * list's filter clauses, with placeholders, never values). A list runs
   * the same few statements on every request (issue 17: no SQL text built
   * per request).
   */
  statement(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      if (this.texts.size >= TEXTS_MAX) this.texts.delete(this.texts.keys().next().value as string);
      this.texts.set(key, (text = build()));
    }
    return text;
  }
}

/** Statement texts kept per entity: lists have a few shapes each (filters, cursor, sort). */
const TEXTS_MAX = 1_000;

/** What JSON needs that pg's parsers do not give: numbers for numeric, int[] for smallint[]. */
function readCast(c: ColumnMetadata): string {
  if (c.type === 'numeric') return '::float8';
  if (c.type === 'smallint' && c.isArray) return '::int[]';
  return '';
}

const cache = new WeakMap<DataSource, Map<unknown, EntitySql<unknown>>>();

/** The entity's SQL, built on first use per data source and kept. */
export function entitySql<T>(ds: DataSource, target: EntityTarget<T>, alias: string): EntitySql<T> {
  let forSource = cache.get(ds);
  if (!forSource) cache.set(ds, (forSource = new Map()));
  let sql = forSource.get(target) as EntitySql<T> | undefined;
  if (!sql) {
    sql = new EntitySql<T>(ds.getMetadata(target), alias);
    forSource.set(target, sql as EntitySql<unknown>);
  }
  return sql;
}

/** What a query builder's values()/set() take for an entity (jsonb properties included). */
export type Writable<T> = QueryDeepPartialEntity<T>;
