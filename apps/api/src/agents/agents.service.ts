import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  Agent,
  AgentListQuery,
  CreateAgentRequest,
  CountedPage,
  UpdateAgentRequest,
} from '@acc/contracts';
import { currentStore } from '../tenancy/request-context';
import { AgentVersionsRepository } from './agent-versions.repository';
import { AgentInUseError, AgentsRepository } from './agents.repository';
import { created, deleted, diff, given } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly versions: AgentVersionsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The database records a person as a version's author; an API key is added here. */
  private async noteKey(a: Agent): Promise<void> {
    const p = currentStore()?.principal;
    if (p?.kind === 'apiKey')
      await this.versions.annotate(a.id, a.version, { apiKeyId: p.apiKeyId });
  }

  /** A page in the asked order; the first also counts the rows the filters match. */
  async list({ cursor, limit, sort, ...filter }: AgentListQuery): Promise<CountedPage<Agent>> {
    const page = await this.agents.page(filter, cursor, limit, sort);
    return { ...page, total: cursor ? null : await this.agents.count(filter) };
  }

  async get(id: string): Promise<Agent> {
    const a = await this.agents.find(id);
    if (!a) throw new NotFoundException('agent not found');
    return a;
  }

  async create(b: CreateAgentRequest): Promise<Agent> {
    const [a] = await this.agents.insert(b);
    await this.noteKey(a);
    await this.audit.record({
      action: 'agent.created',
      resourceType: 'agent',
      resourceId: a.id,
      changes: created(a, given(b)),
    });
    return a;
  }

  /**
   * Partial update by criteria (id AND tenant); the voicemail rule holds for
   * the merged result. A version restored (restoredFrom) is its own event,
   * `agent.version_restored`, with the version numbers and the fields it changed.
   */
  async update(id: string, b: UpdateAgentRequest, restoredFrom?: number): Promise<Agent> {
    const fields = given(b);
    const before = fields.length ? await this.agents.find(id) : null;
    const a = await this.agents.update(id, b);
    if (!a) throw new NotFoundException('agent not found');
    if (a.voicemailBehavior === 'leave_message' && !a.voicemailMessage) {
      // the transaction rolls back with this error: nothing is written
      throw new BadRequestException([
        'voicemailMessage: required when voicemailBehavior is leave_message',
      ]);
    }
    await this.noteKey(a);
    if (restoredFrom !== undefined)
      await this.audit.record({
        action: 'agent.version_restored',
        resourceType: 'agent',
        resourceId: id,
        changes: {
          version: [before?.version ?? null, a.version],
          restoredFrom: [null, restoredFrom],
          ...diff(before, a, fields),
        },
      });
    else if (fields.length)
      await this.audit.record({
        action: 'agent.updated',
        resourceType: 'agent',
        resourceId: id,
        changes: diff(before, a, fields),
      });
    return a;
  }

  async remove(id: string): Promise<void> {
    try {
      const before = await this.agents.find(id);
      if (!(await this.agents.delete(id))) throw new NotFoundException('agent not found');
      await this.audit.record({
        action: 'agent.deleted',
        resourceType: 'agent',
        resourceId: id,
        changes: deleted(before ?? {}, ['name', 'status']),
      });
    } catch (e) {
      if (e instanceof AgentInUseError)
        throw new ConflictException(
          'this agent has calls or campaigns; archive it instead of deleting it',
        );
      throw e;
    }
  }

  /** For call creation: the agent must exist in this tenant and not be archived. */
  async assertCanTakeCalls(id: string): Promise<void> {
    const status = await this.agents.status(id);
    if (!status) throw new NotFoundException('agentId: agent not found');
    if (status === 'archived')
      throw new ConflictException('agentId: this agent is archived and takes no new calls');
  }
}
