import { Injectable, NotFoundException } from '@nestjs/common';
import { type Eligibility, type Lead, type TenantConfig, weekdayName } from '@acc/contracts';
import { CallsRepository } from '../calls/calls.repository';
import { LeadsRepository } from '../leads/leads.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignsRepository } from './campaigns.repository';
import { DncRepository } from './dnc.repository';
import { EligibilityInput, EligibilityResult, Schedule, evaluate } from './eligibility';

/** The tenant's calling days and window, as a schedule ("Call now" and leads outside campaigns). */
export const tenantSchedule = (cfg: TenantConfig): Schedule => ({
  days: cfg.callingDays.map(weekdayName),
  window: { start: cfg.callingWindowStart, end: cfg.callingWindowEnd },
  timezone: 'lead',
});

/**
 * Gathers what the eligibility rules (eligibility.ts) read about one lead,
 * now: its do-not-call entry, the calls in progress, the campaign and the
 * lead's row there. Without a campaign: the tenant's calling settings, as
 * "Call now" applies them.
 */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly tenants: TenantsRepository,
    private readonly calls: CallsRepository,
    private readonly dnc: DncRepository,
    private readonly campaigns: CampaignsRepository,
    private readonly campaignLeads: CampaignLeadsRepository,
  ) {}

  async check(
    leadId: string,
    opts: { campaignId?: string; ignoreWindow?: boolean } = {},
  ): Promise<EligibilityResult & { lead: Lead }> {
    const lead = await this.leads.find(leadId);
    if (!lead) throw new NotFoundException('lead not found');
    const cfg = await this.tenants.config();
    if (!cfg) throw new NotFoundException('tenant configuration not found');
    const input: EligibilityInput = {
      now: Date.now(),
      lead,
      tenant: {
        timezone: cfg.timezone,
        maxConcurrentCalls: cfg.maxConcurrentCalls,
        activeCalls: await this.calls.inProgressCount(),
      },
      dnc: (await this.dnc.hits([lead.phone])).get(lead.phone) ?? null,
      leadInCall: await this.calls.leadInCall(lead.id),
      schedule: tenantSchedule(cfg),
      ignoreWindow: opts.ignoreWindow,
    };
    if (opts.campaignId) {
      const c = await this.campaigns.find(opts.campaignId);
      if (!c) throw new NotFoundException('campaign not found');
      const row = await this.campaignLeads.find(c.id, leadId);
      input.schedule = {
        days: c.days,
        window: { start: c.windowStart, end: c.windowEnd },
        timezone: c.timezone,
        startAt: c.startAt,
        endAt: c.endAt,
      };
      input.campaign = {
        status: c.status,
        maxConcurrentCalls: c.maxConcurrentCalls,
        activeCalls: await this.campaignLeads.dialingCount(c.id),
        maxAttempts: c.maxAttempts,
        retryDelayMinutes: c.retryDelayMinutes,
        lead: row,
      };
    }
    return { ...evaluate(input), lead };
  }

  async explain(leadId: string, campaignId?: string): Promise<Eligibility> {
    const { eligible, reasons, nextEligibleAt, timezone, localTime } = await this.check(leadId, {
      campaignId,
    });
    return { eligible, reasons, nextEligibleAt, timezone, localTime };
  }
}
