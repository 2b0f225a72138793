import { Injectable } from '@nestjs/common';
import type { CampaignLead, CampaignLeadSelector, CampaignLeadState, Page } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import type { EntitySql } from '../database/entity-sql';
import { LeadsRepository } from '../leads/leads.repository';
import { Db } from '../tenancy/db.service';
import { CampaignLeadEntity } from './campaign-lead.entity';

/** Counts of a campaign's leads by state and, for ended ones, by why. */
export interface ProgressRow {
  campaignId: string;
  state: CampaignLeadState;
  reasonCode: string | null;
  n: number;
}

/** A campaign's row of one lead, for the eligibility rules. */
export interface CampaignLeadRow {
  state: CampaignLeadState;
  attempts: number;
  lastCallId: string | null;
  nextAttemptAt: string | null;
  /** when its last call ended, or was created if it has not ended */
  lastAttemptAt: string | null;
}

/** Every statement on campaign_leads, on the request's (or job's) tenant transaction. */
@Injectable()
export class CampaignLeadsRepository {
  constructor(
    private readonly db: Db,
    private readonly leads: LeadsRepository,
  ) {}

  private get e(): EntitySql<CampaignLeadEntity> {
    return this.db.sql(CampaignLeadEntity, 'cl');
  }

  /**
   * Freezes the campaign's leads: every lead of the tenant that the selector
   * names now, in one statement. Answers how many.
   */
  async freeze(campaignId: string, selector: CampaignLeadSelector): Promise<number> {
    let w: Where;
    if ('ids' in selector) {
      w = this.leads.where({});
      w.add('l.id = ANY (?::uuid[])', selector.ids);
    } else {
      const { tags, ...filter } = selector;
      w = this.leads.where(filter);
      if (tags?.length) w.add('l.tags @> ?::text[]', tags);
    }
    const r = await this.db.execute(
      `INSERT INTO campaign_leads (tenant_id, campaign_id, lead_id)
       SELECT l.tenant_id, ${w.param(campaignId)}, l.id FROM leads l ${w}
       ON CONFLICT DO NOTHING`,
      w.params,
    );
    return r.rowCount;
  }

  async progress(campaignIds: string[]): Promise<ProgressRow[]> {
    if (campaignIds.length === 0) return [];
    return this.db.query<ProgressRow>(
      `SELECT campaign_id AS "campaignId", state,
              CASE WHEN state = 'skipped' THEN reason_code END AS "reasonCode", count(*)::int AS n
         FROM campaign_leads WHERE tenant_id = $1 AND campaign_id = ANY ($2::uuid[])
        GROUP BY 1, 2, 3`,
      [this.db.tenantId(), campaignIds],
    );
  }

  /** The campaign's leads with their names and last call, newest first (all frozen at once: by lead id). */
  async page(
    campaignId: string,
    state: CampaignLeadState | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<CampaignLead>> {
    const e = this.e;
    const w = new Where()
      .add(`${e.col('tenantId')} = ?`, this.db.tenantId())
      .add(`${e.col('campaignId')} = ?`, campaignId);
    if (state) w.add(`${e.col('state')} = ?`, state);
    w.after(e.alias, decodeCursor(cursor), 'lead_id');
    const rows = await this.db.query<CampaignLead & { id: string; _ts: string }>(
      `SELECT ${e.col('leadId')} AS id, ${e.col('leadId')} AS "leadId", ${e.col('state')} AS state,
              ${e.col('attempts')} AS attempts, ${e.col('lastCallId')} AS "lastCallId",
              c.status AS "lastCallStatus", ${e.col('nextAttemptAt')} AS "nextAttemptAt",
              ${e.col('reason')} AS reason, ${keysetTs(e.alias)},
              json_build_object('firstName', l.first_name, 'lastName', l.last_name, 'phone', l.phone) AS lead
         FROM ${e.table} ${e.alias}
         JOIN leads l ON l.tenant_id = ${e.col('tenantId')} AND l.id = ${e.col('leadId')}
         LEFT JOIN calls c ON c.tenant_id = ${e.col('tenantId')} AND c.id = ${e.col('lastCallId')}
        ${w}
        ORDER BY ${e.alias}.created_at DESC, ${e.col('leadId')} DESC LIMIT ${w.param(limit + 1)}`,
      w.params,
    );
    return toPage(rows, limit) as Page<
      CampaignLead & { id: string }
    > as unknown as Page<CampaignLead>;
  }

  async find(campaignId: string, leadId: string): Promise<CampaignLeadRow | undefined> {
    const e = this.e;
    const [row] = await this.db.query<CampaignLeadRow>(
      `SELECT ${e.col('state')} AS state, ${e.col('attempts')} AS attempts,
              ${e.col('lastCallId')} AS "lastCallId", ${e.col('nextAttemptAt')} AS "nextAttemptAt",
              coalesce(c.ended_at, c.created_at) AS "lastAttemptAt"
         FROM ${e.table} ${e.alias}
         LEFT JOIN calls c ON c.tenant_id = ${e.col('tenantId')} AND c.id = ${e.col('lastCallId')}
        WHERE ${e.col('tenantId')} = $1 AND ${e.col('campaignId')} = $2 AND ${e.col('leadId')} = $3`,
      [this.db.tenantId(), campaignId, leadId],
    );
    return row;
  }

  /** Calls of the campaign in progress: what its own cap counts. */
  async dialingCount(campaignId: string): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM campaign_leads
        WHERE tenant_id = $1 AND campaign_id = $2 AND state = 'dialing'`,
      [this.db.tenantId(), campaignId],
    );
    return r.n;
  }

  /** Ends the turn of every lead of the campaign still waiting for a call (a cancelled campaign). */
  async skipPending(campaignId: string, code: string, reason: string): Promise<number> {
    const r = await this.db.execute(
      `UPDATE campaign_leads SET state = 'skipped', reason_code = $3, reason = $4, next_attempt_at = NULL
        WHERE tenant_id = $1 AND campaign_id = $2 AND state IN ('waiting', 'scheduled')`,
      [this.db.tenantId(), campaignId, code, reason],
    );
    return r.rowCount;
  }

  /** Numbers put on the do-not-call list: their leads' pending attempts stop, in every campaign. */
  async skipPhones(phones: string[]): Promise<number> {
    if (phones.length === 0) return 0;
    const r = await this.db.execute(
      `UPDATE campaign_leads cl SET state = 'skipped', reason_code = 'do_not_call',
              reason = 'the number was put on the do-not-call list', next_attempt_at = NULL
         FROM leads l
        WHERE cl.tenant_id = $1 AND l.tenant_id = $1 AND l.id = cl.lead_id
          AND l.phone = ANY ($2::text[]) AND cl.state IN ('waiting', 'scheduled')`,
      [this.db.tenantId(), phones],
    );
    return r.rowCount;
  }
}
