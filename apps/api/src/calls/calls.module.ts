import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallStatsService } from './call-stats.service';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';

@Module({
  imports: [AgentsModule],
  controllers: [CallsController],
  providers: [CallsService, CallStatsService],
})
export class CallsModule {}
