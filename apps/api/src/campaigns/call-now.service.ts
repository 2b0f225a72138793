import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { type Call, type CallNowRequest, roleAtLeast } from '@acc/contracts';
import { CallsService } from '../calls/calls.service';
import { currentPrincipal } from '../tenancy/request-context';
import { TenantsRepository } from '../tenants/tenants.repository';
import { SIMULATOR_CALLER_ID } from './campaign-engine.service';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { EligibilityService } from './eligibility.service';

/**
 * "Call now": one call to one lead, outside any campaign, under the same
 * rules as a campaign's (the workspace's calling days and window, the
 * do-not-call list, the workspace's cap, one call per lead at a time). An
 * admin may call outside the window; nobody calls a do-not-call number.
 */
@Injectable()
export class CallNowService {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly tenants: TenantsRepository,
    private readonly calls: CallsService,
    private readonly queue: CampaignJobsRepository,
  ) {}

  async call(leadId: string, body: CallNowRequest): Promise<Call> {
    if (body.overrideWindow && !roleAtLeast(currentPrincipal().role, 'admin'))
      throw new ForbiddenException('calling outside the calling window needs the admin role');
    // counted with every call being placed for the tenant (campaign rounds take the same lock)
    await this.queue.lockTenantDispatch();
    const r = await this.eligibility.check(leadId, { ignoreWindow: body.overrideWindow });
    if (!r.eligible) throw new ConflictException(r.reasons);
    const cfg = await this.tenants.config();
    const agentId = body.agentId ?? r.lead.assignedAgentId ?? cfg?.defaultAgentId;
    if (!agentId)
      throw new BadRequestException([
        'agentId: required (the lead has no agent and the workspace no default agent)',
      ]);
    const dialer = await this.tenants.dialer();
    const { call } = await this.calls.create({
      agentId,
      leadId,
      direction: 'outbound',
      status: 'queued',
      fromNumber: dialer?.callerId ?? SIMULATOR_CALLER_ID,
      toNumber: r.lead.phone,
    });
    await this.queue.dispatch(call.id);
    return call;
  }
}
