import { ConflictException, Injectable } from '@nestjs/common';
import type {
  Agent,
  AgentListQuery,
  AgentSort,
  AgentSortKey,
  CreateAgentRequest,
  Page,
  UpdateAgentRequest,
} from '@acc/contracts';
import { DEFAULT_SORT, sortKey } from '@acc/contracts';
import { SortColumn, Where, countQuery, sortedPageQuery, toSortedPage } from '../common/pagination';
import { likeContains, pgCode, pgConstraint } from '../common/sql';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { AgentEntity } from './agent.entity';

/** An agent still referenced by calls cannot be deleted (foreign key). */
export class AgentInUseError extends Error {}

/** The columns that hold a voice provider's id of an agent (migration 010). */
export const PROVIDER_AGENT_ID = {
  vapi: 'vapiAssistantId',
  retell: 'retellAgentId',
} as const satisfies Record<string, keyof AgentEntity>;
export type AgentProvider = keyof typeof PROVIDER_AGENT_ID;

/** The Retell agent and engine that hold an agent's configuration, and its hash then. */
export interface RetellSync {
  agentId: string;
  llmId: string;
  hash: string;
}

type AgentFilter = Omit<AgentListQuery, 'cursor' | 'limit' | 'sort'>;

/**
 * The leading column of each order of the list. A workspace has a handful
 * of agents: the tenant's rows come from its index, and are sorted as read.
 */
const SORTS: Record<AgentSortKey, SortColumn | null> = {
  createdAt: null,
  name: { sql: 'lower(a.name)', type: 'text' },
  status: { sql: 'a.status', type: 'text' },
  updatedAt: { sql: 'a.updated_at', type: 'timestamptz' },
};

/** Every statement on the agents table, on the request's tenant transaction. */
@Injectable()
export class AgentsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<AgentEntity> {
    return this.db.sql(AgentEntity, 'a');
  }

  private where(f: AgentFilter): Where {
    const e = this.e;
    const where = new Where().add(`${e.col('tenantId')} = ?`, this.db.tenantId());
    if (f.status) where.add(`${e.col('status')} = ?`, f.status);
    if (f.archived === 'exclude') where.add(`${e.col('status')} <> ?`, 'archived');
    if (f.q) where.add(`lower(${e.col('name')}) LIKE ?`, likeContains(f.q));
    return where;
  }

  async page(
    f: AgentFilter,
    cursor: string | undefined,
    limit: number,
    sort: AgentSort = DEFAULT_SORT,
  ): Promise<Page<Agent>> {
    const lead = SORTS[sortKey(sort).key];
    const { sql, params } = sortedPageQuery(this.e, this.where(f), sort, lead, cursor, limit);
    return toSortedPage(await this.db.query<Agent>(sql, params), limit, sort);
  }

  /** How many agents the filters match. */
  async count(f: AgentFilter): Promise<number> {
    const { sql, params } = countQuery(this.e, this.where(f));
    const [row] = await this.db.query<{ total: number }>(sql, params);
    return row.total;
  }

  async find(id: string): Promise<Agent | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(AgentEntity, 'a')
      .select(this.e.selectList())
      .where('a.tenant_id = :tenantId AND a.id = :id', { tenantId: this.db.tenantId(), id })
      .getRawOne<Agent>();
  }

  /** Every agent's name by id (a workspace has a handful): for files that show names. */
  async names(): Promise<Map<string, string>> {
    const m = await this.db.manager();
    const rows = await m
      .createQueryBuilder(AgentEntity, 'a')
      .select('a.id', 'id')
      .addSelect('a.name', 'name')
      .where('a.tenant_id = :tenantId', { tenantId: this.db.tenantId() })
      .getRawMany<{ id: string; name: string }>();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async status(id: string): Promise<Agent['status'] | undefined> {
    const m = await this.db.manager();
    const row = await m
      .createQueryBuilder(AgentEntity, 'a')
      .select('a.status', 'status')
      .where('a.tenant_id = :tenantId AND a.id = :id', { tenantId: this.db.tenantId(), id })
      .getRawOne<{ status: Agent['status'] }>();
    return row?.status;
  }

  async insert(values: CreateAgentRequest | Array<Partial<AgentEntity>>): Promise<Agent[]> {
    const tenantId = this.db.tenantId();
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({ ...v, tenantId }));
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(AgentEntity)
      .values(rows as Array<Writable<AgentEntity>>)
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw;
  }

  /** The agent a provider's id of an agent belongs to in this tenant. */
  async idByProviderId(
    provider: AgentProvider,
    providerAgentId: string,
  ): Promise<string | undefined> {
    const m = await this.db.manager();
    const column = this.e.col(PROVIDER_AGENT_ID[provider]);
    const row = await m
      .createQueryBuilder(AgentEntity, 'a')
      .select('a.id', 'id')
      .where(`a.tenant_id = :tenantId AND ${column} = :providerAgentId`, {
        tenantId: this.db.tenantId(),
        providerAgentId,
      })
      .getRawOne<{ id: string }>();
    return row?.id;
  }

  /**
   * Inserts an agent for a provider's id unless this tenant already has one
   * with that id (a concurrent event may have inserted it): answers the new
   * agent's id, or undefined when none was inserted.
   */
  async insertForProvider(values: Partial<AgentEntity>): Promise<string | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(AgentEntity)
      .values({ ...values, tenantId: this.db.tenantId() } as Writable<AgentEntity>)
      .orIgnore()
      .returning('id')
      .updateEntity(false)
      .execute();
    return r.raw[0]?.id;
  }

  async update(id: string, patch: UpdateAgentRequest): Promise<Agent | undefined> {
    if (Object.values(patch).every((v) => v === undefined)) return this.find(id);
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(AgentEntity)
      .set(patch as Writable<AgentEntity>)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw[0];
  }

  /** What was last written to Retell for this agent (agents.settings.retell). */
  async retellSync(id: string): Promise<RetellSync | undefined> {
    const rows = await this.db.query<{ s: RetellSync | null }>(
      `SELECT settings->'retell' AS s FROM agents WHERE tenant_id = $1 AND id = $2`,
      [this.db.tenantId(), id],
    );
    return rows[0]?.s ?? undefined;
  }

  /**
   * Records the Retell agent and engine that now hold this agent's
   * configuration. false when a concurrent dispatch recorded another engine
   * for that Retell agent first (or linked another Retell agent): the
   * caller's copies are then surplus.
   */
  async saveRetellSync(id: string, s: RetellSync): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE agents SET retell_agent_id = $3, settings = jsonb_set(settings, '{retell}', $5::jsonb)
        WHERE tenant_id = $1 AND id = $2
          AND (retell_agent_id IS NULL OR retell_agent_id = $3)
          AND (settings->'retell'->>'agentId' IS DISTINCT FROM $3 OR settings->'retell'->>'llmId' = $4)
        RETURNING id`,
      [this.db.tenantId(), id, s.agentId, s.llmId, JSON.stringify(s)],
    );
    return rows.length === 1;
  }

  /** false when the agent is not this tenant's; AgentInUseError when calls point at it. */
  async delete(id: string): Promise<boolean> {
    const m = await this.db.manager();
    try {
      const r = await m
        .createQueryBuilder()
        .delete()
        .from(AgentEntity)
        .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
        .execute();
      return (r.affected ?? 0) > 0;
    } catch (e) {
      if (pgCode(e) === '23503') throw new AgentInUseError();
      throw e;
    }
  }
}

/** A provider's id that another agent of the tenant holds: 409 naming the field. */
function translate(e: unknown): never {
  if (pgCode(e) === '23505') {
    const column = /^agents_tenant_id_(.+)_key$/.exec(pgConstraint(e) ?? '')?.[1] ?? 'value';
    const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    throw new ConflictException(`${field}: another agent of this workspace has this id`);
  }
  throw e;
}
