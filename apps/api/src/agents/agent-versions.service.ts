import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { AgentVersion, AgentVersionDetail, AgentVersionListQuery, Page } from '@acc/contracts';
import { AgentVersionsRepository } from './agent-versions.repository';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** An agent's versions (issue 16, item 2): read them, and restore one as a new version. */
@Injectable()
export class AgentVersionsService {
  constructor(
    private readonly versions: AgentVersionsRepository,
    private readonly agents: AgentsRepository,
    private readonly agentsService: AgentsService,
  ) {}

  async list(
    agentId: string,
    { cursor, limit }: AgentVersionListQuery,
  ): Promise<Page<AgentVersion>> {
    if (cursor !== undefined && !/^[1-9][0-9]{0,9}$/.test(cursor))
      throw new BadRequestException(['cursor: not a cursor of this list']);
    if (!(await this.agents.status(agentId))) throw new NotFoundException('agent not found');
    return this.versions.page(agentId, cursor === undefined ? null : Number(cursor), limit);
  }

  async get(agentId: string, version: number): Promise<AgentVersionDetail> {
    const v = await this.versions.find(agentId, version);
    if (!v) {
      if (!(await this.agents.status(agentId))) throw new NotFoundException('agent not found');
      throw new NotFoundException(`version: this agent has no version ${version}`);
    }
    return v;
  }

  /**
   * The agent takes version n's configuration again, as a new version that
   * says it restored n. 409 when the agent already has that configuration
   * (n is current, or a later version made the same one).
   */
  async restore(agentId: string, version: number): Promise<AgentVersionDetail> {
    const old = await this.get(agentId, version);
    const before = await this.agentsService.get(agentId);
    if (old.current)
      throw new ConflictException(`version: ${version} is the agent's current version already`);
    const agent = await this.agentsService.update(agentId, old.config, version);
    if (agent.version === before.version)
      throw new ConflictException(
        `version: the agent's current version ${before.version} has the same configuration as ${version}`,
      );
    await this.versions.annotate(agentId, agent.version, { restoredFrom: version });
    return this.get(agentId, agent.version);
  }
}
