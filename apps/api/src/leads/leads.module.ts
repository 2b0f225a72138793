import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { LeadExportService } from './lead-export.service';
import { LeadImportService } from './lead-import.service';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

@Module({
  imports: [AgentsModule, WebhooksModule],
  controllers: [LeadsController],
  providers: [LeadsRepository, LeadsService, LeadImportService, LeadExportService],
  exports: [LeadsRepository],
})
export class LeadsModule {}
