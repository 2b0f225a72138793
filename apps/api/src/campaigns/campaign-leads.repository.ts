import { Injectable } from '@nestjs/common';
import type {
  CampaignLead,
  CampaignLeadSelector,
  CampaignLeadState,
  LeadStatus,
  Page,
} from '@acc/contracts';
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

/** A lead due for a decision, with what the eligibility rules read about it. */
export interface DueLead extends CampaignLeadRow {
  leadId: string;
  phone: string;
  status: LeadStatus;
  timezone: string | null;
  /** another call to this lead is in progress (from anywhere) */
  inCall: boolean;
}

/** What is left of a campaign after a round: leads still to call, and when the next one is due. */
export interface OpenCounts {
  open: number;
  dialing: number;
  dueNow: number;
  nextDueAt: string | null;
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
    // `id` only carries the keyset (toPage's cursor); the answer names it leadId
    const page = toPage(rows, limit);
    return { data: page.data.map(({ id: _id, ...lead }) => lead), nextCursor: page.nextCursor };
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

  // ---- the engine's statements

  /**
   * Up to `limit` leads of the campaign waiting for a call and due now, in
   * the order they became due, locked for this transaction: a second worker
   * running the same round skips them (SKIP LOCKED), so no lead is decided twice.
   */
  async due(campaignId: string, limit: number): Promise<DueLead[]> {
    return this.db.query<DueLead>(
      `SELECT cl.lead_id AS "leadId", cl.state, cl.attempts, cl.last_call_id AS "lastCallId",
              cl.next_attempt_at AS "nextAttemptAt", coalesce(c.ended_at, c.created_at) AS "lastAttemptAt",
              l.phone, l.status, l.timezone,
              EXISTS (SELECT 1 FROM calls o
                       WHERE o.tenant_id = cl.tenant_id AND o.lead_id = cl.lead_id
                         AND o.status IN ('queued', 'ringing', 'in_progress')
                         AND o.created_at > now() - interval '4 hours') AS "inCall"
         FROM campaign_leads cl
         JOIN leads l ON l.tenant_id = cl.tenant_id AND l.id = cl.lead_id
         LEFT JOIN calls c ON c.tenant_id = cl.tenant_id AND c.id = cl.last_call_id
        WHERE cl.tenant_id = $1 AND cl.campaign_id = $2 AND cl.state IN ('waiting', 'scheduled')
          AND (cl.next_attempt_at IS NULL OR cl.next_attempt_at <= now())
        ORDER BY cl.next_attempt_at NULLS FIRST, cl.lead_id
        LIMIT $3
        FOR UPDATE OF cl SKIP LOCKED`,
      [this.db.tenantId(), campaignId, limit],
    );
  }

  /** The lead is being called: one more attempt, this call. */
  async markDialing(campaignId: string, leadId: string, callId: string): Promise<void> {
    await this.db.query(
      `UPDATE campaign_leads SET state = 'dialing', attempts = attempts + 1, last_call_id = $4,
              next_attempt_at = NULL, reason = NULL, reason_code = NULL
        WHERE tenant_id = $1 AND campaign_id = $2 AND lead_id = $3`,
      [this.db.tenantId(), campaignId, leadId, callId],
    );
  }

  /** Moves the lead to a state with why; `nextAttemptAt` for a scheduled one. */
  async settle(
    campaignId: string,
    leadId: string,
    to: {
      state: CampaignLeadState;
      code: string | null;
      reason: string | null;
      nextAttemptAt?: string | null;
    },
  ): Promise<void> {
    await this.db.query(
      `UPDATE campaign_leads SET state = $4, reason_code = $5, reason = $6, next_attempt_at = $7
        WHERE tenant_id = $1 AND campaign_id = $2 AND lead_id = $3`,
      [
        this.db.tenantId(),
        campaignId,
        leadId,
        to.state,
        to.code,
        to.reason,
        to.nextAttemptAt ?? null,
      ],
    );
  }

  /** The campaign lead a call was placed for, still waiting for its outcome, locked. */
  async dialingByCall(
    callId: string,
  ): Promise<{ campaignId: string; leadId: string; attempts: number } | undefined> {
    const [row] = await this.db.query<{ campaignId: string; leadId: string; attempts: number }>(
      `SELECT campaign_id AS "campaignId", lead_id AS "leadId", attempts FROM campaign_leads
        WHERE tenant_id = $1 AND last_call_id = $2 AND state = 'dialing' FOR UPDATE`,
      [this.db.tenantId(), callId],
    );
    return row;
  }

  /**
   * Leads whose call was never reported ended, 4 hours after it was placed
   * (the longest an agent may talk): they stop holding the campaign open.
   */
  async failAbandoned(campaignId: string): Promise<number> {
    const r = await this.db.execute(
      `UPDATE campaign_leads cl SET state = 'failed', reason_code = 'call_lost',
              reason = 'its call was never reported ended'
         FROM calls c
        WHERE cl.tenant_id = $1 AND cl.campaign_id = $2 AND cl.state = 'dialing'
          AND c.tenant_id = cl.tenant_id AND c.id = cl.last_call_id
          AND c.status IN ('queued', 'ringing', 'in_progress') AND c.created_at <= now() - interval '4 hours'`,
      [this.db.tenantId(), campaignId],
    );
    return r.rowCount;
  }

  async openCounts(campaignId: string): Promise<OpenCounts> {
    const [r] = await this.db.query<OpenCounts>(
      `SELECT count(*) FILTER (WHERE state IN ('waiting', 'scheduled', 'dialing'))::int AS open,
              count(*) FILTER (WHERE state = 'dialing')::int AS dialing,
              count(*) FILTER (WHERE state IN ('waiting', 'scheduled')
                                 AND (next_attempt_at IS NULL OR next_attempt_at <= now()))::int AS "dueNow",
              min(next_attempt_at) FILTER (WHERE state = 'scheduled' AND next_attempt_at > now()) AS "nextDueAt"
         FROM campaign_leads WHERE tenant_id = $1 AND campaign_id = $2`,
      [this.db.tenantId(), campaignId],
    );
    return r;
  }
}
