import type { Agent, Call, Lead } from '@acc/contracts';

/** A provider API request: where, and the JSON body. */
export interface ProviderRequest {
  path: string;
  body: Record<string, unknown>;
}

const name = (lead: Pick<Lead, 'firstName' | 'lastName'> | null) =>
  [lead?.firstName, lead?.lastName].filter(Boolean).join(' ') || undefined;

/**
 * Vapi's POST /call with a transient assistant made from the agent (so the
 * agent's prompt, first message, model, voice and limits are the ones
 * used), from the tenant's Vapi phone number. Our call id rides in
 * `metadata` for the tenant's own tooling.
 */
export function vapiCallRequest(
  call: Pick<Call, 'id' | 'toNumber'>,
  agent: Agent,
  lead: Pick<Lead, 'firstName' | 'lastName'> | null,
  opts: { phoneNumberId: string; recordingEnabled: boolean },
): ProviderRequest {
  return {
    path: '/call',
    body: {
      phoneNumberId: opts.phoneNumberId,
      customer: { number: call.toNumber, ...(name(lead) && { name: name(lead) }) },
      assistant: {
        name: agent.name,
        ...(agent.firstMessage.trim() && { firstMessage: agent.firstMessage }),
        model: {
          provider: agent.llmProvider === 'azure_openai' ? 'azure-openai' : agent.llmProvider,
          model: agent.llmModel,
          temperature: agent.temperature,
          messages: agent.systemPrompt.trim()
            ? [{ role: 'system', content: agent.systemPrompt }]
            : [],
        },
        voice: { provider: 'openai', voiceId: agent.voice },
        maxDurationSeconds: agent.maxCallSeconds,
        silenceTimeoutSeconds: agent.silenceTimeoutSeconds,
        ...(agent.voicemailBehavior === 'leave_message' &&
          agent.voicemailMessage && { voicemailMessage: agent.voicemailMessage }),
        artifactPlan: { recordingEnabled: opts.recordingEnabled },
      },
      metadata: { accCallId: call.id },
    },
  };
}

/**
 * Retell's POST /v2/create-phone-call from the tenant's Retell number (whose
 * bound agent answers, unless the settings name another), with the lead's
 * details as dynamic variables for the agent's prompt.
 */
export function retellCallRequest(
  call: Pick<Call, 'id' | 'fromNumber' | 'toNumber'>,
  lead: Pick<Lead, 'firstName' | 'lastName' | 'company'> | null,
  opts: { agentId: string | null },
): ProviderRequest {
  const variables: Record<string, string> = {};
  if (lead?.firstName) variables['first_name'] = lead.firstName;
  if (lead?.lastName) variables['last_name'] = lead.lastName;
  if (lead?.company) variables['company'] = lead.company;
  return {
    path: '/v2/create-phone-call',
    body: {
      from_number: call.fromNumber,
      to_number: call.toNumber,
      ...(opts.agentId && { override_agent_id: opts.agentId }),
      metadata: { accCallId: call.id },
      retell_llm_dynamic_variables: variables,
    },
  };
}

/** The provider's id of the call it created: Vapi answers `id`, Retell `call_id`. */
export function providerCallId(provider: 'vapi' | 'retell', answer: unknown): string | null {
  const id = (answer as Record<string, unknown> | null)?.[provider === 'vapi' ? 'id' : 'call_id'];
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}
