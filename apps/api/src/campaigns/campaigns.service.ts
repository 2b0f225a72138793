import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  type Campaign,
  type CampaignLead,
  type CampaignLeadsQuery,
  type CampaignListQuery,
  type CampaignStatus,
  type CreateCampaignRequest,
  DEFAULT_RETRY,
  type Page,
  type TenantConfig,
  type UpdateCampaignRequest,
  weekdayName,
} from '@acc/contracts';
import { AgentsService } from '../agents/agents.service';
import { currentPrincipal } from '../tenancy/request-context';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignEngine } from './campaign-engine.service';
import { CampaignEvents } from './campaign-events';
import { emptyProgress, progressOf, toCampaign } from './campaign-shape';
import { CampaignRow, CampaignWrite, CampaignsRepository } from './campaigns.repository';
import { created, diff } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

/** Which statuses each action starts from. */
const FROM: Record<'start' | 'pause' | 'resume' | 'cancel', CampaignStatus[]> = {
  start: ['draft'],
  pause: ['running'],
  resume: ['paused'],
  cancel: ['draft', 'running', 'paused'],
};

/** The schedule columns of a request, over what the campaign (or the tenant's settings) has. */
function scheduleColumns(
  s: CreateCampaignRequest['schedule'],
  base: Pick<CampaignRow, 'startAt' | 'endAt' | 'days' | 'windowStart' | 'windowEnd' | 'timezone'>,
): CampaignWrite {
  const merged = {
    startAt: s?.startAt !== undefined ? s.startAt : base.startAt,
    endAt: s?.endAt !== undefined ? s.endAt : base.endAt,
    days: s?.days ?? base.days,
    windowStart: s?.window?.start ?? base.windowStart,
    windowEnd: s?.window?.end ?? base.windowEnd,
    timezone: s?.timezone ?? base.timezone,
  };
  if (merged.days.length === 0)
    throw new BadRequestException([
      "schedule.days: the workspace's calling days are empty; give the campaign its days",
    ]);
  if (merged.startAt && merged.endAt && Date.parse(merged.startAt) >= Date.parse(merged.endAt))
    throw new BadRequestException(['schedule.endAt: must be after startAt']);
  return merged;
}

/**
 * Campaigns: what they are and their life (draft -> running <-> paused ->
 * completed, or cancelled). The engine (campaign-engine.service.ts) dials
 * their leads; this service holds the rules of creating, changing, starting
 * and stopping them.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly leads: CampaignLeadsRepository,
    private readonly tenants: TenantsRepository,
    private readonly agents: AgentsService,
    private readonly engine: CampaignEngine,
    private readonly events: CampaignEvents,
    private readonly audit: AuditService,
  ) {}

  private async config(): Promise<TenantConfig> {
    const c = await this.tenants.config();
    if (!c) throw new NotFoundException('tenant configuration not found');
    return c;
  }

  private async withProgress(rows: CampaignRow[]): Promise<Campaign[]> {
    const progress = progressOf(await this.leads.progress(rows.map((r) => r.id)));
    return rows.map((r) => toCampaign(r, progress.get(r.id) ?? emptyProgress()));
  }

  async list({ cursor, limit, ...filter }: CampaignListQuery): Promise<Page<Campaign>> {
    const page = await this.campaigns.page(filter, cursor, limit);
    return { data: await this.withProgress(page.data), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<Campaign> {
    const row = await this.campaigns.find(id);
    if (!row) throw new NotFoundException('campaign not found');
    return (await this.withProgress([row]))[0];
  }

  /** Fields left out take the tenant's settings: default agent, calling days and window. */
  async create(body: CreateCampaignRequest): Promise<Campaign> {
    const cfg = await this.config();
    const agentId = body.agentId ?? cfg.defaultAgentId;
    if (!agentId)
      throw new BadRequestException(['agentId: required (the workspace has no default agent)']);
    await this.agents.assertCanTakeCalls(agentId);
    const retry = body.retry ?? DEFAULT_RETRY;
    const p = currentPrincipal();
    const row = await this.campaigns.insert({
      name: body.name,
      agentId,
      leads: body.leads,
      ...scheduleColumns(body.schedule, {
        startAt: null,
        endAt: null,
        days: cfg.callingDays.map(weekdayName),
        windowStart: cfg.callingWindowStart,
        windowEnd: cfg.callingWindowEnd,
        timezone: 'lead',
      }),
      maxConcurrentCalls: body.maxConcurrentCalls ?? null,
      maxAttempts: retry.maxAttempts,
      retryOutcomes: retry.outcomes,
      retryDelayMinutes: retry.delayMinutes,
      createdBy: p.kind === 'user' ? p.userId : null,
    });
    await this.audit.record({
      action: 'campaign.created',
      resourceType: 'campaign',
      resourceId: row.id,
      changes: created(body),
    });
    return toCampaign(row, emptyProgress());
  }

  /** The leads are frozen at the start; nothing changes once a campaign has finished. */
  async update(id: string, body: UpdateCampaignRequest): Promise<Campaign> {
    const row = await this.campaigns.find(id, true);
    if (!row) throw new NotFoundException('campaign not found');
    if (row.status === 'completed' || row.status === 'cancelled')
      throw new ConflictException(`a ${row.status} campaign cannot change`);
    if (body.leads && row.status !== 'draft')
      throw new ConflictException('leads: the lead list was frozen when the campaign started');
    if (body.agentId && body.agentId !== row.agentId)
      await this.agents.assertCanTakeCalls(body.agentId);
    const patch: CampaignWrite = {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.agentId !== undefined && { agentId: body.agentId }),
      ...(body.leads !== undefined && { leads: body.leads }),
      ...(body.schedule !== undefined && scheduleColumns(body.schedule, row)),
      ...(body.maxConcurrentCalls !== undefined && { maxConcurrentCalls: body.maxConcurrentCalls }),
      ...(body.retry !== undefined && {
        maxAttempts: body.retry.maxAttempts,
        retryOutcomes: body.retry.outcomes,
        retryDelayMinutes: body.retry.delayMinutes,
      }),
    };
    if (Object.keys(patch).length === 0) return this.get(id);
    await this.campaigns.update(id, patch);
    await this.audit.record({
      action: 'campaign.updated',
      resourceType: 'campaign',
      resourceId: id,
      changes: diff(row, { ...row, ...patch }, Object.keys(patch)),
    });
    return this.get(id);
  }

  /** Locks the campaign and checks the action is allowed from its status (409 otherwise). */
  private async lockFor(id: string, action: keyof typeof FROM): Promise<CampaignRow> {
    const row = await this.campaigns.find(id, true);
    if (!row) throw new NotFoundException('campaign not found');
    if (!FROM[action].includes(row.status))
      throw new ConflictException(`a ${row.status} campaign cannot be ${ACTION_PAST[action]}`);
    return row;
  }

  /** Freezes the lead list (409 when it names no lead) and starts dialing. */
  async start(id: string): Promise<Campaign> {
    const row = await this.lockFor(id, 'start');
    await this.agents.assertCanTakeCalls(row.agentId);
    const frozen = await this.leads.freeze(id, row.leads);
    if (frozen === 0) throw new ConflictException('leads: no lead of the workspace matches');
    const started = await this.campaigns.update(id, {
      status: 'running',
      startedAt: new Date().toISOString(),
    });
    await this.afterChange('campaign.started', started);
    // one event for the whole lead list, with its size
    await this.audit.record({
      action: 'campaign.started',
      resourceType: 'campaign',
      resourceId: id,
      changes: { status: [row.status, 'running'], leads: [null, frozen] },
    });
    return this.get(id);
  }

  async pause(id: string): Promise<Campaign> {
    await this.statusChange('campaign.paused', await this.lockFor(id, 'pause'), 'paused');
    await this.afterChange(
      'campaign.paused',
      await this.campaigns.update(id, { status: 'paused' }),
    );
    return this.get(id);
  }

  async resume(id: string): Promise<Campaign> {
    await this.statusChange('campaign.resumed', await this.lockFor(id, 'resume'), 'running');
    await this.afterChange(
      'campaign.started',
      await this.campaigns.update(id, { status: 'running' }),
    );
    return this.get(id);
  }

  /** Leads still waiting are skipped; calls in progress end as they will. */
  async cancel(id: string): Promise<Campaign> {
    await this.statusChange('campaign.cancelled', await this.lockFor(id, 'cancel'), 'cancelled');
    await this.leads.skipPending(id, 'cancelled', 'the campaign was cancelled');
    await this.campaigns.update(id, { status: 'cancelled', finishedAt: new Date().toISOString() });
    return this.get(id);
  }

  private statusChange(action: string, row: CampaignRow, to: string): Promise<void> {
    return this.audit.record({
      action,
      resourceType: 'campaign',
      resourceId: row.id,
      changes: { status: [row.status, to] },
    });
  }

  /** The webhook event of the change and, for a running campaign, its first round. */
  private async afterChange(
    type: 'campaign.started' | 'campaign.paused',
    row: CampaignRow | undefined,
  ): Promise<void> {
    if (!row) throw new NotFoundException('campaign not found');
    await this.events.changed(type, row);
    if (row.status === 'running') await this.engine.wake(row);
  }

  async leadsOf(id: string, q: CampaignLeadsQuery): Promise<Page<CampaignLead>> {
    if (!(await this.campaigns.find(id))) throw new NotFoundException('campaign not found');
    return this.leads.page(id, q.state, q.cursor, q.limit);
  }
}

const ACTION_PAST = { start: 'started', pause: 'paused', resume: 'resumed', cancel: 'cancelled' };
