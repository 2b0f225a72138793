import { Injectable, Logger } from '@nestjs/common';
import type { Agent } from '@acc/contracts';
import { AgentsRepository, RetellSync } from '../agents/agents.repository';
import { Db } from '../tenancy/db.service';
import { ProviderApi, ProviderError, idIn } from './provider-api';
import { retellAgentBody, retellConfigHash, retellLlmBody } from './provider-dialers';

/**
 * Keeps an agent in step at Retell before its calls: the first call creates
 * a Retell LLM (prompt, first message, model, tools) and a Retell agent
 * (voice, limits, voicemail) and links them to the agent (its
 * `retellAgentId`, so Retell's events name it); a changed configuration is
 * written to both before the next call; an unchanged one costs nothing.
 * An agent linked by hand to an agent made at Retell gets its own engine
 * there. No database connection is held while Retell answers.
 */
@Injectable()
export class RetellAgentSync {
  private readonly log = new Logger('RetellSync');

  constructor(
    private readonly db: Db,
    private readonly agents: AgentsRepository,
  ) {}

  /** The Retell agent that holds `agent`'s configuration (and the recording setting) now. */
  async ensure(
    tenantId: string,
    agent: Agent,
    recordingEnabled: boolean,
    api: ProviderApi,
  ): Promise<string> {
    const hash = retellConfigHash(agent, recordingEnabled);
    const agentBody = (llmId: string) => retellAgentBody(agent, llmId, recordingEnabled);
    const known = await this.db.transaction({ tenantId }, () => this.agents.retellSync(agent.id));
    const save = (s: RetellSync) =>
      this.db.transaction({ tenantId }, () => this.agents.saveRetellSync(agent.id, s));
    const what = "the agent's configuration";

    if (agent.retellAgentId && known?.agentId === agent.retellAgentId) {
      if (known.hash !== hash) {
        await api.request('PATCH', `/update-retell-llm/${known.llmId}`, retellLlmBody(agent), what);
        await api.request(
          'PATCH',
          `/update-agent/${agent.retellAgentId}`,
          agentBody(known.llmId),
          what,
        );
        await save({ ...known, hash });
      }
      return agent.retellAgentId;
    }

    const llmId = idIn(
      await api.request('POST', '/create-retell-llm', retellLlmBody(agent), what),
      'llm_id',
    );
    if (!llmId) throw new ProviderError('retell answered without an llm_id');
    let remote = agent.retellAgentId;
    if (remote) await api.request('PATCH', `/update-agent/${remote}`, agentBody(llmId), what);
    else {
      remote = idIn(await api.request('POST', '/create-agent', agentBody(llmId), what), 'agent_id');
      if (!remote) throw new ProviderError('retell answered without an agent_id');
    }
    if (await save({ agentId: remote, llmId, hash })) return remote;

    // another dispatch of this agent linked its copies first: ours go, theirs answer
    await this.discard(api, agent.retellAgentId ? null : remote, llmId);
    const now = await this.db.transaction({ tenantId }, () => this.agents.retellSync(agent.id));
    if (!now) throw new ProviderError('the Retell agent could not be linked');
    return now.agentId;
  }

  private async discard(api: ProviderApi, agentId: string | null, llmId: string): Promise<void> {
    try {
      if (agentId) await api.request('DELETE', `/delete-agent/${agentId}`, undefined, 'a delete');
      await api.request('DELETE', `/delete-retell-llm/${llmId}`, undefined, 'a delete');
    } catch (e) {
      this.log.warn(`surplus Retell copies left (${agentId ?? '-'}, ${llmId}): ${String(e)}`);
    }
  }
}
