import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallsModule } from '../calls/calls.module';
import { LeadsModule } from '../leads/leads.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { DncController } from './dnc.controller';
import { DncRepository } from './dnc.repository';
import { DncService } from './dnc.service';
import { EligibilityService } from './eligibility.service';
import { LeadCallingController } from './lead-calling.controller';

/** Campaigns, the dialing engine and the do-not-call list every dispatch checks (issue 14). */
@Module({
  imports: [AgentsModule, LeadsModule, CallsModule, TenantsModule],
  controllers: [CampaignsController, LeadCallingController, DncController],
  providers: [
    CampaignsRepository,
    CampaignLeadsRepository,
    CampaignsService,
    DncRepository,
    DncService,
    EligibilityService,
  ],
})
export class CampaignsModule {}
