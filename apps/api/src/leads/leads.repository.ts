import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateLeadRequest,
  Lead,
  LeadFilter,
  LeadImportRow,
  LeadSort,
  LeadSortKey,
  Page,
  UpdateLeadRequest,
} from '@acc/contracts';
import { DEFAULT_SORT, sortKey } from '@acc/contracts';
import { SortColumn, Where, countQuery, sortedPageQuery, toSortedPage } from '../common/pagination';
import { likeContains, pgCode, pgConstraint } from '../common/sql';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { LeadEntity } from './lead.entity';
import { ImportSql, importSql } from './lead-import.sql';

/** The lock an import of a tenant holds from its first write to its commit (lockImports). */
export const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('lead-import:' || $1, 0))`;

type Filter = Partial<Record<keyof LeadFilter, unknown>>;

/** Filters that are not "this property equals"; any other filter field is one. */
const SPECIAL_FILTERS: Partial<
  Record<keyof LeadFilter, (w: Where, e: EntitySql<LeadEntity>, v: string) => void>
> = {
  agentId: (w, e, v) => w.add(`${e.col('assignedAgentId')} = ?`, v),
  tag: (w, e, v) => w.add(`${e.col('tags')} @> ARRAY[?]::text[]`, v),
  q: (w, e, v) => w.add(`${e.col('searchText')} LIKE ?`, likeContains(v)),
};

/**
 * The leading column of each order of the list, each with its index
 * (migration 015): the name as the console shows it (first and last name,
 * else the phone), case-insensitive.
 */
const SORTS: Record<LeadSortKey, SortColumn | null> = {
  createdAt: null,
  name: {
    sql: `lower(coalesce(nullif(btrim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), ''), l.phone))`,
    type: 'text',
  },
  status: { sql: 'l.status', type: 'text' },
};

/**
 * Every statement on the leads table, on the request's tenant transaction
 * (row-level security applies to each). Other features that change a lead
 * (calls, import, seed) come through here.
 */
@Injectable()
export class LeadsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<LeadEntity> {
    return this.db.sql(LeadEntity, 'l');
  }

  /**
   * The filters, each served by an index that leads with tenant_id (status,
   * agent, unique keys) or by the GIN indexes (tags, trigram search).
   */
  where(filter: Filter): Where {
    const e = this.e;
    const w = new Where().add(`${e.col('tenantId')} = ?`, this.db.tenantId());
    for (const [field, value] of Object.entries(filter) as Array<[keyof LeadFilter, unknown]>) {
      if (value === undefined) continue;
      const special = SPECIAL_FILTERS[field];
      if (special) special(w, e, value as string);
      else w.add(`${e.col(field as keyof LeadEntity & string)} = ?`, value);
    }
    return w;
  }

  async page(
    filter: Filter,
    cursor: string | undefined,
    limit: number,
    sort: LeadSort = DEFAULT_SORT,
  ): Promise<Page<Lead>> {
    const lead = SORTS[sortKey(sort).key];
    const { sql, params } = sortedPageQuery(this.e, this.where(filter), sort, lead, cursor, limit);
    return toSortedPage(await this.db.query<Lead & { id: string }>(sql, params), limit, sort);
  }

  /** How many leads the filters match. */
  async count(filter: Filter): Promise<number> {
    const { sql, params } = countQuery(this.e, this.where(filter));
    const [row] = await this.db.query<{ total: number }>(sql, params);
    return row.total;
  }

  /** The custom field names the filtered leads use, by name: the export's extra columns. */
  async customFieldNames(filter: Filter): Promise<string[]> {
    const w = this.where(filter);
    const rows = await this.db.query<{ name: string }>(
      `SELECT DISTINCT k AS name FROM leads l, jsonb_object_keys(${this.e.col('customFields')}) k ${w}`,
      w.params,
    );
    // sorted here, whatever the database's collation
    return rows.map((r) => r.name).sort();
  }

  async find(id: string): Promise<Lead | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(LeadEntity, 'l')
      .select(this.e.selectList())
      .where('l.tenant_id = :tenantId AND l.id = :id', { tenantId: this.db.tenantId(), id })
      .getRawOne<Lead>();
  }

  async insert(values: CreateLeadRequest): Promise<Lead> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(LeadEntity)
      .values({ ...values, tenantId: this.db.tenantId() } as Writable<LeadEntity>)
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw[0];
  }

  /** Many leads at once, as given (the demo seed): one statement per thousand. */
  async insertMany(values: Array<Partial<LeadEntity>>): Promise<void> {
    const m = await this.db.manager();
    const tenantId = this.db.tenantId();
    for (let i = 0; i < values.length; i += 1_000) {
      const chunk = values.slice(i, i + 1_000).map((v) => ({ ...v, tenantId }));
      await m
        .createQueryBuilder()
        .insert()
        .into(LeadEntity)
        .values(chunk as Array<Writable<LeadEntity>>)
        .updateEntity(false)
        .execute();
    }
  }

  /** undefined when the lead is not this tenant's */
  async update(id: string, patch: UpdateLeadRequest): Promise<Lead | undefined> {
    if (Object.values(patch).every((v) => v === undefined)) return this.find(id);
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(LeadEntity)
      .set(patch as Writable<LeadEntity>)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw[0];
  }

  /** The lead as it was (for its lead.deleted event); undefined when it is not this tenant's. */
  async delete(id: string): Promise<Lead | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .delete()
      .from(LeadEntity)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .execute();
    return r.raw[0];
  }

  /**
   * The id of this tenant's lead with that phone (E.164), inserted with these
   * values when there is none; a concurrent insert of the same phone is read back.
   */
  async ensureByPhone(
    values: Partial<LeadEntity> & { phone: string },
  ): Promise<{ id: string; created: boolean }> {
    const m = await this.db.manager();
    const tenantId = this.db.tenantId();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(LeadEntity)
      .values({ ...values, tenantId } as Writable<LeadEntity>)
      .orIgnore()
      .returning('id')
      .updateEntity(false)
      .execute();
    if (r.raw[0]) return { id: r.raw[0].id, created: true };
    const row = await m
      .createQueryBuilder(LeadEntity, 'l')
      .select('l.id', 'id')
      .where('l.tenant_id = :tenantId AND l.phone = :phone', { tenantId, phone: values.phone })
      .getRawOne<{ id: string }>();
    return { id: (row as { id: string }).id, created: false };
  }

  /** A completed call marks its lead contacted (a new lead becomes 'contacted'). */
  async markContacted(id: string, at: string | null): Promise<void> {
    await this.db.query(
      `UPDATE leads SET last_contacted_at = greatest(coalesce(last_contacted_at, '-infinity'), coalesce($3, now())),
              status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END
        WHERE tenant_id = $1 AND id = $2`,
      [this.db.tenantId(), id, at],
    );
  }

  /** Fields besides phone whose value is unique in a tenant: an import checks them before writing. */
  get otherUniqueFields(): Array<keyof LeadEntity & string> {
    return this.e.meta.uniques
      .flatMap((u) => u.columns.map((c) => c.propertyName as keyof LeadEntity & string))
      .filter((p) => p !== 'tenantId' && p !== 'phone');
  }

  // ---- import: set-based statements over a batch of rows (lead-import.sql.ts)

  private get imports(): ImportSql {
    return importSql(this.e);
  }

  /**
   * Imports of one tenant run one after the other: two inserting the same new
   * phones in different orders would each wait for the other's rows until
   * PostgreSQL broke the deadlock, failing one whole file (sorting each batch
   * would not do: row locks are held across batches until commit). Taken
   * before the first write, released at commit; other tenants' imports hash
   * to other keys and never wait. A wait past the statement timeout is the
   * caller's to retry, not an outage.
   */
  async lockImports(): Promise<void> {
    try {
      await this.db.query(IMPORT_LOCK, [this.db.tenantId()]);
    } catch (e) {
      if (pgCode(e) === '57014') {
        throw new ConflictException(
          "another import of this tenant's leads is still running: retry once it has finished",
        );
      }
      throw e;
    }
  }

  /** Inserts the rows whose phone is new; answers their phones. */
  async insertNew(rows: LeadImportRow[]): Promise<Set<string>> {
    const inserted = await this.db.query<{ phone: string }>(
      this.imports.insertNew,
      this.imports.params(this.db.tenantId(), rows),
    );
    return new Set(inserted.map((r) => r.phone));
  }

  /** Updates the leads of these phones; an empty cell keeps what the lead has. Answers the count. */
  async updateExisting(rows: LeadImportRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await this.db.execute(
      this.imports.updateExisting,
      this.imports.params(this.db.tenantId(), rows),
    );
    return r.rowCount;
  }

  /** The leads (phone, and the values of `fields`) holding any of these values, locked. */
  async holding<K extends keyof LeadEntity & string>(
    field: K,
    values: unknown[],
    also: Array<keyof LeadEntity & string> = [],
  ): Promise<Array<Pick<LeadEntity, K | 'phone'>>> {
    const e = this.e;
    const cols = [...new Set(['phone', field, ...also])] as Array<keyof LeadEntity & string>;
    const select = cols.map((c) => `${e.col(c)} AS "${c}"`).join(', ');
    const type = e.column(field).type as string;
    return this.db.query(
      `SELECT ${select} FROM leads l
        WHERE l.tenant_id = $1 AND ${e.col(field)} = ANY ($2::${type}[]) FOR UPDATE`,
      [this.db.tenantId(), values],
    );
  }
}

/**
 * A taken unique value (phone, and any other unique field) -> 409 naming the
 * field; another tenant's (or no) agent -> 404. Under row-level security
 * PostgreSQL leaves the key out of the error: the field is read from the
 * constraint's default name, leads_tenant_id_<column>_key.
 */
function translate(e: unknown): never {
  const code = pgCode(e);
  if (code === '23505') {
    const column = /^leads_tenant_id_(.+)_key$/.exec(pgConstraint(e) ?? '')?.[1] ?? 'value';
    const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    throw new ConflictException(
      `${field}: a lead with this ${column.replace(/_/g, ' ')} already exists`,
    );
  }
  if (code === '23503') throw new NotFoundException('assignedAgentId: agent not found');
  throw e;
}
