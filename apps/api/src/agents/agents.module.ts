import { Module } from '@nestjs/common';
import { AgentVersionsController } from './agent-versions.controller';
import { AgentVersionsRepository } from './agent-versions.repository';
import { AgentVersionsService } from './agent-versions.service';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

@Module({
  controllers: [AgentsController, AgentVersionsController],
  providers: [AgentsRepository, AgentsService, AgentVersionsRepository, AgentVersionsService],
  exports: [AgentsService, AgentsRepository],
})
export class AgentsModule {}
