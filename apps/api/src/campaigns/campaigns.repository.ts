import { Injectable, NotFoundException } from '@nestjs/common';
import type { CampaignStatus, Page } from '@acc/contracts';
import { Where, pageQuery, toPage } from '../common/pagination';
import { pgCode } from '../common/sql';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { CampaignEntity } from './campaign.entity';

/** A campaign as stored: the entity's selected columns. */
export type CampaignRow = Omit<CampaignEntity, 'tenantId' | 'createdBy'>;
export type CampaignWrite = Partial<
  Omit<CampaignEntity, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'>
>;

/** Every statement on campaigns, on the request's (or job's) tenant transaction. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<CampaignEntity> {
    return this.db.sql(CampaignEntity, 'c');
  }

  async page(
    filter: { status?: CampaignStatus; agentId?: string },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<CampaignRow>> {
    const e = this.e;
    const w = new Where().add(`${e.col('tenantId')} = ?`, this.db.tenantId());
    if (filter.status) w.add(`${e.col('status')} = ?`, filter.status);
    if (filter.agentId) w.add(`${e.col('agentId')} = ?`, filter.agentId);
    const { sql, params } = pageQuery(e, w, cursor, limit);
    return toPage(await this.db.query<CampaignRow & { _ts: string }>(sql, params), limit);
  }

  /** With `lock`, the row stays locked until the transaction ends (state changes, dispatch). */
  async find(id: string, lock = false): Promise<CampaignRow | undefined> {
    const e = this.e;
    const [row] = await this.db.query<CampaignRow>(
      `SELECT ${e.selectList()} FROM ${e.table} ${e.alias}
        WHERE ${e.col('tenantId')} = $1 AND ${e.col('id')} = $2${lock ? ' FOR UPDATE' : ''}`,
      [this.db.tenantId(), id],
    );
    return row;
  }

  async insert(values: CampaignWrite): Promise<CampaignRow> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(CampaignEntity)
      .values({ ...values, tenantId: this.db.tenantId() } as Writable<CampaignEntity>)
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw[0];
  }

  /** undefined when the tenant has no such campaign. */
  async update(id: string, patch: CampaignWrite): Promise<CampaignRow | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(CampaignEntity)
      .set(patch as Writable<CampaignEntity>)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch(translate);
    return r.raw[0];
  }
}

/** Another tenant's (or no) agent -> 404: the foreign key includes tenant_id. */
function translate(e: unknown): never {
  if (pgCode(e) === '23503') throw new NotFoundException('agentId: agent not found');
  throw e;
}
