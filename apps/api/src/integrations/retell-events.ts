import { z } from 'zod';
import type { CallStatus } from '@acc/contracts';
import {
  type Fields,
  type ProviderEvent,
  analysisOutcome,
  clip,
  defined,
  httpUrl,
  ignored,
  instant,
  ranAs,
  money,
  turns,
} from './provider-event';

/**
 * Retell webhooks (docs.retellai.com/features/webhook-overview): `{"event",
 * "call"}` where call is the call object of GET /v2/get-call
 * (docs.retellai.com/api-references/get-call). Only the fields read here are
 * checked; the rest passes untouched.
 */
const RetellCall = z.looseObject({
  call_id: z.string().min(1).max(200),
  call_type: z.string().nullish(),
  agent_id: z.string().nullish(),
  agent_name: z.string().nullish(),
  metadata: z.unknown().optional(),
  call_status: z.string().nullish(),
  direction: z.string().nullish(),
  from_number: z.string().nullish(),
  to_number: z.string().nullish(),
  start_timestamp: z.unknown().optional(),
  end_timestamp: z.unknown().optional(),
  disconnection_reason: z.string().nullish(),
  transcript_object: z
    .array(
      z.looseObject({
        role: z.string().nullish(),
        content: z.unknown().optional(),
        words: z.array(z.looseObject({ start: z.unknown() })).nullish(),
      }),
    )
    .nullish(),
  recording_url: z.unknown().optional(),
  call_cost: z.looseObject({ combined_cost: z.unknown() }).nullish(),
  call_analysis: z
    .looseObject({
      call_summary: z.unknown().optional(),
      user_sentiment: z.unknown().optional(),
      custom_analysis_data: z.unknown().optional(),
      call_successful: z.unknown().optional(),
    })
    .nullish(),
});
export const RetellEnvelope = z.looseObject({
  event: z.string().max(100),
  call: RetellCall.nullish(),
});
type RetellCall = z.infer<typeof RetellCall>;

/** Retell's disconnection_reason (the call object's enum) as this product's end status. */
export function retellEndStatus(
  reason: string | null | undefined,
  callStatus?: string | null,
): CallStatus {
  switch (reason) {
    case 'dial_busy':
      return 'busy';
    case 'dial_no_answer':
    case 'user_declined':
      return 'no_answer';
    case 'voicemail_reached':
      return 'voicemail';
    case 'dial_failed':
    case 'invalid_destination':
    case 'telephony_provider_permission_denied':
    case 'telephony_provider_unavailable':
    case 'sip_routing_error':
    case 'marked_as_spam':
    case 'scam_detected':
    case 'concurrency_limit_reached':
    case 'no_concurrency_fallback':
    case 'no_valid_payment':
    case 'registered_call_timeout':
      return 'failed';
  }
  if (reason?.startsWith('error_') || callStatus === 'error' || callStatus === 'not_connected')
    return 'failed';
  // user_hangup, agent_hangup, call_transfer, inactivity, max_duration_reached, ...
  return 'completed';
}

const ROLES: Record<string, 'agent' | 'lead'> = { agent: 'agent', user: 'lead' };
const SENTIMENTS: Record<string, 'positive' | 'neutral' | 'negative'> = {
  Positive: 'positive',
  Neutral: 'neutral',
  Negative: 'negative',
};
const TRANSFERRED = new Set(['call_transfer', 'transfer_bridged']);

/** A Retell webhook as a call event; other events and web calls are ignored. */
export function retellEvent(body: z.infer<typeof RetellEnvelope>): ProviderEvent {
  const call = body.call;
  if (!['call_started', 'call_ended', 'call_analyzed'].includes(body.event))
    return ignored(`${body.event} events are not recorded`);
  if (!call) return ignored('the event names no call');
  if (call.call_type !== 'phone_call')
    return ignored(`${call.call_type ?? 'untyped'} calls carry no phone number`);
  const direction = call.direction === 'inbound' ? 'inbound' : 'outbound';
  const ended = body.event !== 'call_started';
  const status: CallStatus = ended
    ? retellEndStatus(call.disconnection_reason, call.call_status)
    : 'in_progress';
  const startedAt = instant(call.start_timestamp);
  const facts: Fields = {
    startedAt,
    // call_started is sent once the call connects (never for a failed dial)
    answeredAt: status === 'in_progress' || status === 'completed' ? startedAt : undefined,
    endedAt: ended ? instant(call.end_timestamp) : undefined,
    endReason: ended ? clip(call.disconnection_reason, 100) : undefined,
    ...(ended ? endedFields(call, status, body.event === 'call_analyzed') : {}),
  };
  const fallbacks: Fields = {
    outcome: ended && TRANSFERRED.has(call.disconnection_reason ?? '') ? 'transferred' : undefined,
  };
  const customer = direction === 'inbound' ? call.from_number : call.to_number;
  const line = direction === 'inbound' ? call.to_number : call.from_number;
  return {
    kind: 'call',
    provider: 'retell',
    providerCallId: call.call_id,
    agent: { id: clip(call.agent_id, 200) ?? null, name: clip(call.agent_name, 80) ?? null },
    direction,
    customerNumber: clip(customer, 40) ?? null,
    customerName: null,
    ourNumber: clip(line, 40) ?? null,
    ranAs: ranAs(call.metadata),
    report: { status, facts: defined(facts), fallbacks: defined(fallbacks) },
  };
}

/** call_ended carries the conversation and its cost; call_analyzed adds the analysis. */
function endedFields(call: RetellCall, status: CallStatus, analyzed: boolean): Fields {
  const cents = call.call_cost?.combined_cost;
  const a = analyzed ? call.call_analysis : undefined;
  const { call_summary: summary, ...rest } = a ?? {};
  const successful = a?.call_successful;
  return {
    recordingUrl: httpUrl(call.recording_url),
    cost: typeof cents === 'number' ? money(cents / 100) : undefined,
    transcript: turns(
      (call.transcript_object ?? []).map((t) => ({
        role: ROLES[t.role ?? ''] ?? null,
        text: t.content,
        startSeconds: t.words?.[0]?.start,
      })),
    ),
    summary: clip(summary, 10_000),
    sentiment: SENTIMENTS[String(a?.user_sentiment)],
    analysis: a ? (defined(rest) as Record<string, unknown>) : undefined,
    outcome:
      status !== 'completed'
        ? undefined
        : (analysisOutcome(a?.custom_analysis_data) ??
          (successful === true ? 'successful' : successful === false ? 'unsuccessful' : undefined)),
  };
}
