import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallsModule } from '../calls/calls.module';
import { LeadsModule } from '../leads/leads.module';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsRepository } from './integrations.repository';
import { IntegrationsService } from './integrations.service';
import { ProviderEventsController } from './provider-events.controller';
import { ProviderEventsGuard } from './provider-events.guard';
import { SecretBox } from '../common/secret-box';

@Module({
  imports: [AgentsModule, LeadsModule, CallsModule],
  controllers: [IntegrationsController, ProviderEventsController],
  providers: [IntegrationsRepository, IntegrationsService, SecretBox, ProviderEventsGuard],
})
export class IntegrationsModule {}
