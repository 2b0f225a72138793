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
 * Vapi server messages (docs.vapi.ai/server-url/events,
 * docs.vapi.ai/server-url/end-of-call-report): `{"message": {"type", "call",
 * ...}}`. Only the fields read here are checked; the rest passes untouched.
 */
const Party = z.looseObject({ number: z.string().nullish(), name: z.string().nullish() }).nullish();
const VapiCall = z.looseObject({
  id: z.string().min(1).max(200),
  type: z.string().nullish(),
  assistantId: z.string().nullish(),
  metadata: z.unknown().optional(),
  customer: Party,
  phoneNumber: Party,
  startedAt: z.unknown().optional(),
  endedAt: z.unknown().optional(),
  endedReason: z.string().nullish(),
});
const Message = z.looseObject({
  type: z.string().max(100),
  timestamp: z.unknown().optional(),
  status: z.string().nullish(),
  endedReason: z.string().nullish(),
  call: VapiCall.nullish(),
  customer: Party,
  phoneNumber: Party,
  assistant: z
    .looseObject({
      id: z.string().nullish(),
      name: z.string().nullish(),
      metadata: z.unknown().optional(),
    })
    .nullish(),
  startedAt: z.unknown().optional(),
  endedAt: z.unknown().optional(),
  cost: z.unknown().optional(),
  recordingUrl: z.unknown().optional(),
  summary: z.unknown().optional(),
  artifact: z
    .looseObject({
      messages: z
        .array(
          z.looseObject({
            role: z.string().nullish(),
            message: z.unknown().optional(),
            secondsFromStart: z.unknown().optional(),
          }),
        )
        .nullish(),
      recordingUrl: z.unknown().optional(),
      recording: z
        .looseObject({ mono: z.looseObject({ combinedUrl: z.unknown() }).nullish() })
        .nullish(),
    })
    .nullish(),
  analysis: z
    .looseObject({
      summary: z.unknown().optional(),
      structuredData: z.unknown().optional(),
      successEvaluation: z.unknown().optional(),
    })
    .nullish(),
});
export const VapiEnvelope = z.looseObject({ message: Message });
type VapiMessage = z.infer<typeof Message>;

const STATUS_UPDATES: Record<string, CallStatus> = {
  scheduled: 'queued',
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  forwarding: 'in_progress',
};

/** Vapi's endedReason (the Call schema's enum, about 300 values) as this product's end status. */
export function vapiEndStatus(reason: string | null | undefined): CallStatus {
  const r = reason ?? '';
  if (r === 'customer-did-not-answer') return 'no_answer';
  if (r === 'customer-busy') return 'busy';
  if (r === 'voicemail') return 'voicemail';
  if (
    r === 'manually-canceled' ||
    r === 'scheduled-call-deleted' ||
    r === 'call-deleted' ||
    r === 'call.ringing.sip-inbound-caller-hungup-before-call-connect'
  )
    return 'canceled';
  if (
    /error|fail|fault|misdialed|rejected|not-found|not-valid|worker-|no-call-received/.test(r) ||
    r.startsWith('assistant-request-') ||
    r === 'assistant-join-timed-out'
  )
    return 'failed';
  // customer-ended-call, assistant-ended-call, silence-timed-out, exceeded-max-duration,
  // assistant-forwarded-call, ...-completed-call: the call was held and ended
  return 'completed';
}

const ROLES: Record<string, 'agent' | 'lead'> = { bot: 'agent', assistant: 'agent', user: 'lead' };

/** A Vapi server message as a call event; other message types and web calls are ignored. */
export function vapiEvent(body: z.infer<typeof VapiEnvelope>): ProviderEvent {
  const m = body.message;
  const call = m.call;
  if (m.type !== 'status-update' && m.type !== 'end-of-call-report')
    return ignored(`${m.type} messages are not recorded`);
  if (!call) return ignored('the message names no call');
  const direction =
    call.type === 'outboundPhoneCall'
      ? 'outbound'
      : call.type === 'inboundPhoneCall'
        ? 'inbound'
        : null;
  if (!direction) return ignored(`${call.type ?? 'untyped'} calls carry no phone number`);
  const status = statusOf(m);
  if (!status) return ignored(`status ${m.status} is not a call status`);

  const customer = m.customer ?? call.customer;
  const line = m.phoneNumber ?? call.phoneNumber;
  const startedAt = instant(m.startedAt) ?? instant(call.startedAt);
  const ended = m.type === 'end-of-call-report' || m.status === 'ended';
  const endedReason = ended ? (m.endedReason ?? call.endedReason) : undefined;
  const sent = instant(m.timestamp);
  const facts: Fields = {
    startedAt,
    answeredAt: status === 'in_progress' || status === 'completed' ? startedAt : undefined,
    endedAt: ended ? (instant(m.endedAt) ?? instant(call.endedAt)) : undefined,
    endReason: clip(endedReason, 100),
    ...(m.type === 'end-of-call-report' ? reportFields(m, status) : {}),
  };
  const fallbacks: Fields = {
    startedAt: status === 'queued' ? undefined : sent,
    answeredAt: status === 'in_progress' ? sent : undefined,
    endedAt: ended ? sent : undefined,
    outcome: endedReason === 'assistant-forwarded-call' ? 'transferred' : undefined,
  };
  return {
    kind: 'call',
    provider: 'vapi',
    providerCallId: call.id,
    agent: {
      id: clip(call.assistantId ?? m.assistant?.id, 200) ?? null,
      name: clip(m.assistant?.name, 80) ?? null,
    },
    direction,
    customerNumber: clip(customer?.number, 40) ?? null,
    customerName: clip(customer?.name, 100) ?? null,
    ourNumber: clip(line?.number, 40) ?? null,
    // the transient assistant we sent carries it; the call's metadata too
    ranAs: ranAs(m.assistant?.metadata, call.metadata),
    report: { status, facts: defined(facts), fallbacks: defined(fallbacks) },
  };
}

function statusOf(m: VapiMessage): CallStatus | undefined {
  if (m.type === 'end-of-call-report') return vapiEndStatus(m.endedReason ?? m.call?.endedReason);
  if (m.status === 'ended') return vapiEndStatus(m.endedReason ?? m.call?.endedReason);
  return STATUS_UPDATES[m.status ?? ''];
}

/** What only the end-of-call report carries: the conversation, its cost and its analysis. */
function reportFields(m: VapiMessage, status: CallStatus): Fields {
  const a = m.analysis;
  const structured =
    a?.structuredData && typeof a.structuredData === 'object' ? a.structuredData : undefined;
  const evaluation = a?.successEvaluation;
  const analysis =
    structured !== undefined || (evaluation !== undefined && evaluation !== null)
      ? (defined({
          structuredData: structured,
          successEvaluation: evaluation ?? undefined,
        }) as Record<string, unknown>)
      : undefined;
  const success = String(evaluation ?? '').toLowerCase();
  return {
    cost: money(m.cost),
    recordingUrl:
      httpUrl(m.artifact?.recording?.mono?.combinedUrl) ??
      httpUrl(m.artifact?.recordingUrl) ??
      httpUrl(m.recordingUrl),
    summary: clip(a?.summary ?? m.summary, 10_000),
    transcript: turns(
      (m.artifact?.messages ?? []).map((t) => ({
        role: ROLES[t.role ?? ''] ?? null,
        text: t.message,
        startSeconds: t.secondsFromStart,
      })),
    ),
    analysis,
    outcome:
      status !== 'completed'
        ? undefined
        : (analysisOutcome(structured) ??
          (success === 'true' ? 'successful' : success === 'false' ? 'unsuccessful' : undefined)),
  };
}
