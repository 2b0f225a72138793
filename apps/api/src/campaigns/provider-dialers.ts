import { createHash } from 'node:crypto';
import type { Agent, Call, Lead } from '@acc/contracts';

/** A provider API request: where, and the JSON body. */
export interface ProviderRequest {
  path: string;
  body: Record<string, unknown>;
}

/**
 * An agent's voice as stored: an OpenAI voice name (`alloy`, `nova`) or
 * `<provider>-<voice id>` as Retell spells its voices (`11labs-Adrian`).
 */
export function voiceOf(voice: string): { provider: string; id: string } {
  const dash = voice.indexOf('-');
  return dash > 0
    ? { provider: voice.slice(0, dash), id: voice.slice(dash + 1) }
    : { provider: 'openai', id: voice };
}

const name = (lead: Pick<Lead, 'firstName' | 'lastName'> | null) =>
  [lead?.firstName, lead?.lastName].filter(Boolean).join(' ') || undefined;

/**
 * Vapi's POST /call with a transient assistant made from the agent (so the
 * agent's prompt, first message, model, voice and limits are the ones
 * used), from the tenant's Vapi phone number. Our call id rides in
 * `metadata` for the tenant's own tooling; the agent's id and version ride
 * in the assistant's and the call's `metadata`, so that Vapi's events say
 * which version ran (ranAs in provider-event.ts).
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
          ...(agent.transferDestinations.length > 0 && {
            tools: [
              {
                type: 'transferCall',
                destinations: agent.transferDestinations.map((d) => ({
                  type: 'number',
                  number: d.phone,
                  description: d.label,
                })),
              },
            ],
          }),
        },
        voice: { provider: voiceOf(agent.voice).provider, voiceId: voiceOf(agent.voice).id },
        maxDurationSeconds: agent.maxCallSeconds,
        silenceTimeoutSeconds: agent.silenceTimeoutSeconds,
        ...(agent.voicemailBehavior === 'leave_message' &&
          agent.voicemailMessage && { voicemailMessage: agent.voicemailMessage }),
        artifactPlan: { recordingEnabled: opts.recordingEnabled },
        metadata: ranAsMetadata(agent),
      },
      metadata: { accCallId: call.id, ...ranAsMetadata(agent) },
    },
  };
}

/**
 * Which of our agents' versions a dispatched call runs, in the metadata a
 * provider echoes in its events: Retell's own agent_version counts its
 * copy's updates, not our versions.
 */
export const ranAsMetadata = (agent: Pick<Agent, 'id' | 'version'>) => ({
  accAgentId: agent.id,
  accAgentVersion: agent.version,
});

/**
 * Retell's POST /v2/create-phone-call from the tenant's Retell number, answered
 * by the Retell agent that holds this agent's configuration (retell-agent-sync.ts),
 * with the lead's details as dynamic variables for the prompt. Retell echoes
 * `metadata` in the call's events: our call id, and the agent version sent.
 */
export function retellCallRequest(
  call: Pick<Call, 'id' | 'fromNumber' | 'toNumber'>,
  lead: Pick<Lead, 'firstName' | 'lastName' | 'company'> | null,
  retellAgentId: string,
  agent: Pick<Agent, 'id' | 'version'>,
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
      override_agent_id: retellAgentId,
      metadata: { accCallId: call.id, ...ranAsMetadata(agent) },
      retell_llm_dynamic_variables: variables,
    },
  };
}

/**
 * The agent's conversation as a Retell LLM response engine. Retell's
 * temperature runs 0-1 (ours 0-2, so it is capped); an empty first message
 * lets the model open the call.
 */
export function retellLlmBody(agent: Agent): Record<string, unknown> {
  return {
    general_prompt: agent.systemPrompt,
    begin_message: agent.firstMessage.trim() ? agent.firstMessage : null,
    start_speaker: 'agent',
    model: agent.llmModel,
    model_temperature: Math.min(1, agent.temperature),
    general_tools: [
      { type: 'end_call', name: 'end_call', description: 'End the call when it is over.' },
      ...agent.transferDestinations.map((d, i) => ({
        type: 'transfer_call',
        name: `transfer_${i + 1}`,
        description: `Transfer the call to ${d.label}.`,
        transfer_destination: { type: 'predefined', number: d.phone },
      })),
    ],
  };
}

/**
 * The agent's voice and limits as a Retell agent on that engine. Retell
 * takes calls of 1 minute to 2 hours and at least 10 s of silence, so the
 * agent's limits are brought into that range. With recording off (Settings)
 * Retell keeps no recording or transcript of its calls.
 */
export function retellAgentBody(
  agent: Agent,
  llmId: string,
  recordingEnabled: boolean,
): Record<string, unknown> {
  const voice = voiceOf(agent.voice);
  const leaveMessage = agent.voicemailBehavior === 'leave_message' && agent.voicemailMessage;
  return {
    agent_name: agent.name,
    response_engine: { type: 'retell-llm', llm_id: llmId },
    voice_id:
      voice.provider === 'openai'
        ? `openai-${voice.id.charAt(0).toUpperCase()}${voice.id.slice(1)}`
        : agent.voice,
    language: agent.language,
    max_call_duration_ms: Math.min(7_200_000, Math.max(60_000, agent.maxCallSeconds * 1000)),
    end_call_after_silence_ms: Math.max(10_000, agent.silenceTimeoutSeconds * 1000),
    voicemail_option: {
      action: leaveMessage ? { type: 'static_text', text: leaveMessage } : { type: 'hangup' },
    },
    data_storage_setting: recordingEnabled ? 'everything' : 'basic_attributes_only',
  };
}

/** What was last written to Retell for an agent: a changed agent is written again. */
export const retellConfigHash = (agent: Agent, recordingEnabled: boolean) =>
  createHash('sha256')
    .update(JSON.stringify([retellLlmBody(agent), retellAgentBody(agent, '', recordingEnabled)]))
    .digest('base64url');
