import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { type CallStatus, type RetryOutcome, RETRY_OUTCOMES } from '@acc/contracts';
import { CAMPAIGN_ENGINE } from '../audit/actors';
import { AuditService } from '../audit/audit.service';
import { CallsRepository } from '../calls/calls.repository';
import { CallsService } from '../calls/calls.service';
import { JobsService } from '../jobs/jobs.service';
import { Db } from '../tenancy/db.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CampaignEvents } from './campaign-events';
import { CampaignJobsRepository, CALL_ENDED_TASK, TICK_TASK } from './campaign-jobs.repository';
import { CampaignLeadsRepository, DueLead } from './campaign-leads.repository';
import { CampaignRow, CampaignsRepository } from './campaigns.repository';
import { DncRepository } from './dnc.repository';
import { EligibilityResult, evaluate } from './eligibility';
import { outcomeOf } from './outcomes';

/**
 * Leads decided per round; a round that had more due runs again at once,
 * queued behind the rounds of other campaigns (and tenants) that were
 * waiting: small rounds let every campaign dial within seconds of its start.
 */
const ROUND = 25;
/** While calls are in progress a round also runs this often (their ends wake it sooner). */
const HEARTBEAT_MS = 30_000;
/** The number calls come from when the tenant has set none (the simulator needs one). */
export const SIMULATOR_CALLER_ID = '+15550000000';

interface TickJob {
  tenantId: string;
  campaignId: string;
}
interface CallEndedJob {
  tenantId: string;
  callId: string;
}

/**
 * The dialing engine. A running campaign has one pending round (a job,
 * campaign-jobs.repository.ts); a round decides the campaign's due leads
 * under the eligibility rules, places a call for each it may (up to the
 * caps), schedules or ends the others, and sets the time of the next round.
 * All state is in PostgreSQL: a restarted worker carries on from the rows,
 * and rounds on two workers never decide the same lead (row locks).
 */
@Injectable()
export class CampaignEngine implements OnModuleInit {
  private readonly log = new Logger('Campaigns');

  constructor(
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly jobQueue: CampaignJobsRepository,
    private readonly campaigns: CampaignsRepository,
    private readonly leads: CampaignLeadsRepository,
    private readonly dnc: DncRepository,
    private readonly tenants: TenantsRepository,
    private readonly calls: CallsRepository,
    private readonly callsService: CallsService,
    private readonly events: CampaignEvents,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.define(TICK_TASK, (p) => this.round(p as TickJob));
    this.jobs.define(CALL_ENDED_TASK, (p) => this.callEnded(p as CallEndedJob));
  }

  /** One dispatch round of a campaign, in one tenant transaction. */
  async round({ tenantId, campaignId }: TickJob): Promise<void> {
    await this.db.transaction(
      { tenantId },
      async () => {
        // rounds of one campaign take turns: the campaign's own cap is counted right
        const c = await this.campaigns.find(campaignId, true);
        if (!c || c.status !== 'running') return;
        await this.jobQueue.lockTenantDispatch();
        const cfg = await this.tenants.config();
        const dialer = await this.tenants.dialer();
        if (!cfg || !dialer) return;
        const now = Date.now();
        if (c.endAt && now >= Date.parse(c.endAt))
          await this.leads.skipPending(
            c.id,
            'campaign_ended',
            'the campaign ended before the lead was called',
          );
        await this.leads.failAbandoned(c.id);

        const due = await this.leads.due(c.id, ROUND);
        const dnc = await this.dnc.hits(due.map((d) => d.phone));
        const active = {
          tenant: await this.calls.inProgressCount(),
          campaign: await this.leads.dialingCount(c.id),
        };
        let full = false;
        for (const lead of due) {
          const r = this.decide(c, lead, cfg, active, dnc.get(lead.phone) ?? null, now);
          if (r.eligible) {
            await this.place(c, lead, dialer.callerId ?? SIMULATOR_CALLER_ID);
            active.tenant++;
            active.campaign++;
          } else if (r.capacityOnly) {
            // a lead already on the phone waits its turn; full caps stop the round
            full = r.codes.some((x) => x !== 'lead_in_call');
            if (full) break;
          } else if (r.permanent) {
            const code =
              r.codes.find((x) => !['campaign_cap', 'tenant_cap', 'lead_in_call'].includes(x)) ??
              null;
            await this.leads.settle(c.id, lead.leadId, {
              state: code === 'attempts' ? 'failed' : 'skipped',
              code,
              reason: r.reasons[0] ?? null,
            });
          } else {
            await this.leads.settle(c.id, lead.leadId, {
              state: 'scheduled',
              code: r.codes[0] ?? null,
              reason: r.reasons.join('; '),
              nextAttemptAt: r.nextEligibleAt,
            });
          }
        }

        const left = await this.leads.openCounts(c.id);
        if (left.open === 0) {
          const done = await this.campaigns.update(c.id, {
            status: 'completed',
            finishedAt: new Date().toISOString(),
          });
          if (done) {
            await this.events.changed('campaign.completed', done);
            await this.audit.record({
              action: 'campaign.completed',
              resourceType: 'campaign',
              resourceId: c.id,
              changes: { status: [c.status, done.status] },
            });
          }
          return;
        }
        // more leads due than one round takes, and a line free: straight on
        const again = left.dueNow > 0 && !full && due.length === ROUND;
        const heartbeat = now + HEARTBEAT_MS;
        const next = again
          ? now
          : Math.min(left.nextDueAt ? Date.parse(left.nextDueAt) : heartbeat, heartbeat);
        await this.jobQueue.tick(c.id, new Date(Math.max(next, now)).toISOString(), false);
      },
      CAMPAIGN_ENGINE,
    );
  }

  private decide(
    c: CampaignRow,
    lead: DueLead,
    cfg: { timezone: string; maxConcurrentCalls: number },
    active: { tenant: number; campaign: number },
    dnc: { createdAt: string; reason: string | null } | null,
    now: number,
  ): EligibilityResult {
    return evaluate({
      now,
      lead,
      leadInCall: lead.inCall,
      tenant: {
        timezone: cfg.timezone,
        maxConcurrentCalls: cfg.maxConcurrentCalls,
        activeCalls: active.tenant,
      },
      dnc,
      schedule: {
        days: c.days,
        window: { start: c.windowStart, end: c.windowEnd },
        timezone: c.timezone,
        startAt: c.startAt,
        endAt: c.endAt,
      },
      campaign: {
        status: c.status,
        maxConcurrentCalls: c.maxConcurrentCalls,
        activeCalls: active.campaign,
        maxAttempts: c.maxAttempts,
        retryDelayMinutes: c.retryDelayMinutes,
        lead,
      },
    });
  }

  /** A queued call to the lead, the lead marked dialing, and the job that places it: one transaction. */
  private async place(c: CampaignRow, lead: DueLead, callerId: string): Promise<void> {
    const { call } = await this.callsService.create({
      agentId: c.agentId,
      leadId: lead.leadId,
      direction: 'outbound',
      status: 'queued',
      fromNumber: callerId,
      toNumber: lead.phone,
    });
    await this.leads.markDialing(c.id, lead.leadId, call.id);
    await this.jobQueue.dispatch(call.id);
  }

  /**
   * A campaign call ended (enqueued by the calls trigger, migrations/012):
   * the outcome decides the lead's turn. A reached lead is done; a retried
   * outcome with attempts left is called again after the delay; otherwise
   * the campaign gives up on it. A do-not-call disposition lists the number
   * (and stops its attempts in every campaign). A line is free: a round runs.
   */
  async callEnded({ tenantId, callId }: CallEndedJob): Promise<void> {
    await this.db.transaction(
      { tenantId },
      async () => {
        const row = await this.leads.dialingByCall(callId);
        if (!row) return; // recorded already (a repeated job)
        const c = await this.campaigns.find(row.campaignId);
        const call = await this.calls.find(callId);
        if (!c || !call) return;
        const o = outcomeOf(call);
        if (o.doNotCall) {
          const reason = 'asked not to be called again (call disposition)';
          if (await this.dnc.add(call.toNumber, reason, { callId }))
            await this.audit.record({
              action: 'dnc.added',
              resourceType: 'dnc',
              resourceId: (await this.dnc.findByPhone(call.toNumber))?.id ?? null,
              changes: {
                phone: [null, call.toNumber],
                reason: [null, reason],
                callId: [null, callId],
              },
            });
          await this.leads.skipPhones([call.toNumber]);
        }
        const retried = (RETRY_OUTCOMES as readonly CallStatus[]).includes(call.status)
          ? c.retryOutcomes.includes(call.status as RetryOutcome)
          : false;
        if (o.reached) {
          await this.leads.settle(c.id, row.leadId, {
            state: 'completed',
            code: o.doNotCall ? 'do_not_call' : null,
            reason: o.text,
          });
        } else if (retried && row.attempts < c.maxAttempts) {
          const at = new Date(
            Date.parse(call.endedAt ?? new Date().toISOString()) + c.retryDelayMinutes * 60_000,
          ).toISOString();
          await this.leads.settle(c.id, row.leadId, {
            state: 'scheduled',
            code: 'retry_delay',
            reason: `${o.text}; attempt ${row.attempts + 1} of ${c.maxAttempts} not before ${at.slice(0, 16).replace('T', ' ')} UTC`,
            nextAttemptAt: at,
          });
        } else {
          await this.leads.settle(c.id, row.leadId, {
            state: 'failed',
            code: retried ? 'attempts' : call.status,
            reason: retried
              ? `${o.text}; ${row.attempts} of ${c.maxAttempts} attempts used`
              : `${o.text} (not retried)`,
          });
        }
        if (c.status === 'running') await this.jobQueue.tick(c.id, null, true);
      },
      CAMPAIGN_ENGINE,
    );
  }

  /** Called by the campaigns service, in its transaction, when a campaign starts or resumes. */
  async wake(c: CampaignRow): Promise<void> {
    const startAt = c.startAt && Date.parse(c.startAt) > Date.now() ? c.startAt : null;
    await this.jobQueue.tick(c.id, startAt, true);
    this.log.debug(`campaign ${c.id} woken`);
  }
}
