import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  Call,
  CallListQuery,
  CallSort,
  CallSortKey,
  CallStats,
  CallSummary,
  Page,
} from '@acc/contracts';
import { DEFAULT_SORT, sortKey } from '@acc/contracts';
import { SortColumn, Where, countQuery, sortedPageQuery, toSortedPage } from '../common/pagination';
import { pgCode, pgConstraint } from '../common/sql';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { CallEntity } from './call.entity';
import { CALL_STATS_SQL, CALL_VERSION_STATS_SQL } from './call-stats.sql';

export type CallFilter = Omit<CallListQuery, 'limit' | 'cursor' | 'sort'>;
export type CallWrite = Partial<Omit<CallEntity, 'tenantId' | 'id'>>;

/**
 * The leading column of each order of the list, each with its index
 * (migration 015); a call not ended yet has no duration and sorts as -1.
 */
const SORTS: Record<CallSortKey, SortColumn | null> = {
  createdAt: null,
  duration: { sql: 'coalesce(c.duration_seconds, -1)', type: 'int' },
  status: { sql: 'c.status', type: 'text' },
};

/** Every statement on the calls table, on the request's tenant transaction. */
@Injectable()
export class CallsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<CallEntity> {
    return this.db.sql(CallEntity, 'c');
  }

  /** Each filter has an index leading with tenant_id and ending with (created_at, id). */
  private where(f: CallFilter): Where {
    const e = this.e;
    const where = new Where().add(`${e.col('tenantId')} = ?`, this.db.tenantId());
    for (const k of ['status', 'direction', 'agentId', 'leadId'] as const) {
      if (f[k]) where.add(`${e.col(k)} = ?`, f[k]);
    }
    if (f.from) where.add(`${e.col('createdAt')} >= ?::timestamptz`, f.from);
    if (f.to) where.add(`${e.col('createdAt')} < ?::timestamptz`, f.to);
    return where;
  }

  async page(
    f: CallFilter,
    cursor: string | undefined,
    limit: number,
    sort: CallSort = DEFAULT_SORT,
  ): Promise<Page<CallSummary>> {
    const lead = SORTS[sortKey(sort).key];
    const { sql, params } = sortedPageQuery(this.e, this.where(f), sort, lead, cursor, limit, [
      'transcript',
      'analysis',
    ]);
    return toSortedPage(await this.db.query<CallSummary>(sql, params), limit, sort);
  }

  /** How many calls the filters match. */
  async count(f: CallFilter): Promise<number> {
    const { sql, params } = countQuery(this.e, this.where(f));
    const [row] = await this.db.query<{ total: number }>(sql, params);
    return row.total;
  }

  find(id: string): Promise<Call | undefined> {
    return this.findBy('c.id = :id', { id });
  }

  findByProviderId(provider: string, providerCallId: string): Promise<Call | undefined> {
    return this.findBy('c.provider = :provider AND c.provider_call_id = :providerCallId', {
      provider,
      providerCallId,
    });
  }

  private async findBy(where: string, params: Record<string, unknown>): Promise<Call | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(CallEntity, 'c')
      .select(this.e.selectList())
      .where(`c.tenant_id = :tenantId AND ${where}`, { ...params, tenantId: this.db.tenantId() })
      .getRawOne<Call>();
  }

  /**
   * Inserts the calls; one whose provider call id this tenant already has is
   * skipped (its unique index is the only key a new call can collide on), so
   * duplicate deliveries, even concurrent ones, make one row. Answers the
   * inserted calls. A lead of another tenant (or none) -> 404.
   */
  async insertNew(values: CallWrite[]): Promise<Call[]> {
    const tenantId = this.db.tenantId();
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(CallEntity)
      .values(values.map((v) => ({ ...v, tenantId })) as Array<Writable<CallEntity>>)
      .orIgnore()
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch((e) => {
        if (pgCode(e) === '23503')
          throw new NotFoundException(
            pgConstraint(e) === 'calls_agent_version_fkey'
              ? 'agentVersion: this agent has no such version'
              : 'leadId: lead not found',
          );
        throw e;
      });
    return r.raw;
  }

  /** A provider's call, locked until the transaction ends, with the database clock. */
  async lockByProviderId(
    provider: string,
    providerCallId: string,
  ): Promise<(Call & { now: string }) | undefined> {
    const [row] = await this.db.query<Call & { now: string }>(
      `SELECT ${this.e.selectList()}, now() AS now FROM calls c
        WHERE c.tenant_id = $1 AND c.provider = $2 AND c.provider_call_id = $3 FOR UPDATE`,
      [this.db.tenantId(), provider, providerCallId],
    );
    return row;
  }

  /** The call but its conversation, locked until the transaction ends, with the database clock. */
  async lockForUpdate(id: string): Promise<(CallSummary & { now: string }) | undefined> {
    const [row] = await this.db.query<CallSummary & { now: string }>(
      `SELECT ${this.e.selectList({ except: ['transcript', 'analysis'] })}, now() AS now FROM calls c
        WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE`,
      [this.db.tenantId(), id],
    );
    return row;
  }

  /** The database clock: a call's timestamps are checked against it, not this process's. */
  async now(): Promise<string> {
    const [r] = await this.db.query<{ now: string }>('SELECT now() AS now');
    return r.now;
  }

  async update(id: string, patch: CallWrite): Promise<Call> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(CallEntity)
      .set(patch as Writable<CallEntity>)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /**
   * Calls of the tenant in progress (queued, ringing or answered), from any
   * campaign or from outside: what the tenant's concurrency cap counts. A
   * call still not ended 4 hours after it was made (the longest an agent may
   * talk) was abandoned by whoever reported it and no longer holds a line.
   */
  async inProgressCount(): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM calls
        WHERE tenant_id = $1 AND status IN ('queued', 'ringing', 'in_progress')
          AND created_at > now() - interval '4 hours'`,
      [this.db.tenantId()],
    );
    return r.n;
  }

  /** Whether a call to this lead is in progress (same rule as inProgressCount). */
  async leadInCall(leadId: string): Promise<boolean> {
    const [r] = await this.db.query<{ busy: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM calls
                       WHERE tenant_id = $1 AND lead_id = $2 AND status IN ('queued', 'ringing', 'in_progress')
                         AND created_at > now() - interval '4 hours') AS busy`,
      [this.db.tenantId(), leadId],
    );
    return r.busy;
  }

  /** The dashboard figures of [from, to), in one statement (call-stats.sql.ts). */
  async stats(
    from: string,
    to: string,
    agentId: string | null,
  ): Promise<Omit<CallStats, 'from' | 'to'>> {
    const [row] = await this.db.query<Omit<CallStats, 'from' | 'to'>>(CALL_STATS_SQL, [
      this.db.tenantId(),
      from,
      to,
      agentId,
    ]);
    return row;
  }

  /** Per agent version, and the versions saved in [from, to) (CALL_VERSION_STATS_SQL). */
  async versionStats(
    from: string,
    to: string,
    agentId: string | null,
  ): Promise<Required<Pick<CallStats, 'byAgentVersion' | 'versionChanges'>>> {
    const [row] = await this.db.query<
      Required<Pick<CallStats, 'byAgentVersion' | 'versionChanges'>>
    >(CALL_VERSION_STATS_SQL, [this.db.tenantId(), from, to, agentId]);
    return row;
  }
}
