import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { LeadsModule } from '../leads/leads.module';
import { TenantsModule } from '../tenants/tenants.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CallStatsService } from './call-stats.service';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { CallsService } from './calls.service';

@Module({
  imports: [AgentsModule, LeadsModule, WebhooksModule, TenantsModule],
  controllers: [CallsController],
  providers: [CallsRepository, CallsService, CallStatsService],
  exports: [CallsRepository, CallsService],
})
export class CallsModule {}
