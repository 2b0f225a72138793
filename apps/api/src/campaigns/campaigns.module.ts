import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallsModule } from '../calls/calls.module';
import { LeadsModule } from '../leads/leads.module';
import { SecretBox } from '../common/secret-box';
import { TenantsModule } from '../tenants/tenants.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CallDispatcher } from './call-dispatcher.service';
import { CallNowService } from './call-now.service';
import { CampaignEngine } from './campaign-engine.service';
import { CampaignEvents } from './campaign-events';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { DialerSettingsController } from './dialer-settings.controller';
import { DialerSettingsService } from './dialer-settings.service';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { DncController } from './dnc.controller';
import { DncRepository } from './dnc.repository';
import { DncService } from './dnc.service';
import { EligibilityService } from './eligibility.service';
import { LeadCallingController } from './lead-calling.controller';
import { RetellAgentSync } from './retell-agent-sync';

/** Campaigns, the dialing engine and the do-not-call list every dispatch checks (issue 14). */
@Module({
  imports: [AgentsModule, LeadsModule, CallsModule, TenantsModule, WebhooksModule],
  controllers: [
    CampaignsController,
    LeadCallingController,
    DncController,
    DialerSettingsController,
  ],
  providers: [
    CampaignsRepository,
    CampaignLeadsRepository,
    CampaignsService,
    DncRepository,
    DncService,
    EligibilityService,
    CampaignJobsRepository,
    CampaignEngine,
    CampaignEvents,
    CallDispatcher,
    CallNowService,
    DialerSettingsService,
    RetellAgentSync,
    SecretBox,
  ],
})
export class CampaignsModule {}
