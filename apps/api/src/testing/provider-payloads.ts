/**
 * Webhook bodies as the voice providers document them today, with the fields
 * this product reads and a realistic share of the ones it does not:
 * - Vapi: docs.vapi.ai/server-url/events (the `{"message": {...}}` envelope,
 *   status-update), docs.vapi.ai/server-url/end-of-call-report and the
 *   ServerMessageEndOfCallReport / Artifact / Call schemas of Vapi's API
 *   reference (docs.vapi.ai/api-reference/calls/get-call).
 * - Retell: docs.retellai.com/features/webhook-overview (`{"event", "call"}`;
 *   call_started, call_ended with every call field but call_analysis,
 *   call_analyzed with it) and the call object of
 *   docs.retellai.com/api-references/get-call (timestamps in ms, cost in cents).
 */

export interface CallScript {
  callId: string;
  /** Vapi assistantId / Retell agent_id */
  agentId: string;
  customer: string;
  line: string;
  direction?: 'inbound' | 'outbound';
  startedAt: string;
  endedAt: string;
  /** what our dispatch sent as metadata (the call's, and the Vapi assistant's), echoed back */
  metadata?: Record<string, unknown>;
}

const ms = (iso: string) => Date.parse(iso);
const plus = (iso: string, s: number) => new Date(ms(iso) + s * 1000).toISOString();

// ---- Vapi

function vapiCall(c: CallScript, status: string, extra: Record<string, unknown> = {}) {
  return {
    id: c.callId,
    orgId: 'org_5f1c3b2e-0000-4000-8000-000000000001',
    type: c.direction === 'inbound' ? 'inboundPhoneCall' : 'outboundPhoneCall',
    status,
    assistantId: c.agentId,
    phoneNumberId: 'pn_7a9d0c1e-0000-4000-8000-000000000002',
    customer: { number: c.customer },
    createdAt: plus(c.startedAt, -3),
    updatedAt: plus(c.startedAt, 1),
    phoneCallProvider: 'twilio',
    phoneCallTransport: 'pstn',
    ...(c.metadata && { metadata: c.metadata }),
    ...extra,
  };
}

const vapiAssistant = (c: CallScript) => ({
  id: c.agentId,
  name: 'Ava (renewals)',
  firstMessage: 'Hi, this is Ava from Acme Insurance.',
  model: { provider: 'openai', model: 'gpt-4o' },
  voice: { provider: '11labs', voiceId: 'sarah' },
  ...(c.metadata && { metadata: c.metadata }),
});

/** A status-update server message (status: queued, ringing, in-progress, forwarding, ended). */
export function vapiStatusUpdate(
  c: CallScript,
  status: string,
  at: string,
  endedReason?: string,
): Record<string, unknown> {
  return {
    message: {
      type: 'status-update',
      status,
      ...(endedReason ? { endedReason } : {}),
      timestamp: ms(at),
      call: vapiCall(c, status, {
        ...(status === 'in-progress' || status === 'ended' ? { startedAt: c.startedAt } : {}),
        ...(endedReason ? { endedReason } : {}),
      }),
      assistant: vapiAssistant(c),
      customer: { number: c.customer, name: 'Dana Lee' },
      phoneNumber: { provider: 'twilio', number: c.line, name: 'Sales line' },
      artifact: { messages: [], messagesOpenAIFormatted: [] },
    },
  };
}

/** The end-of-call-report of a call the customer ended after a short conversation. */
export function vapiEndOfCallReport(
  c: CallScript,
  endedReason = 'customer-ended-call',
): Record<string, unknown> {
  return {
    message: {
      type: 'end-of-call-report',
      timestamp: ms(c.endedAt) + 2_400,
      endedReason,
      startedAt: c.startedAt,
      endedAt: c.endedAt,
      cost: 0.1237,
      costs: [
        { type: 'transport', provider: 'twilio', minutes: 1.2, cost: 0.0168 },
        { type: 'model', model: { provider: 'openai', model: 'gpt-4o' }, cost: 0.0521 },
        { type: 'vapi', subType: 'normal', minutes: 1.2, cost: 0.0548 },
      ],
      artifact: {
        messages: [
          {
            role: 'system',
            message: 'You are Ava, a renewals agent.',
            time: ms(c.startedAt),
            secondsFromStart: 0,
          },
          {
            role: 'bot',
            message: 'Hi, this is Ava from Acme Insurance. Is this Dana?',
            time: ms(c.startedAt) + 600,
            endTime: ms(c.startedAt) + 3_100,
            secondsFromStart: 0.6,
            duration: 2_500,
            source: '',
          },
          {
            role: 'user',
            message: 'Yes, speaking. I wanted to ask about my renewal.',
            time: ms(c.startedAt) + 4_200,
            endTime: ms(c.startedAt) + 7_000,
            secondsFromStart: 4.2,
            duration: 2_800,
          },
          {
            role: 'tool_calls',
            toolCalls: [
              {
                id: 'call_x',
                type: 'function',
                function: { name: 'lookupPolicy', arguments: '{}' },
              },
            ],
            time: ms(c.startedAt) + 7_500,
            secondsFromStart: 7.5,
          },
          {
            role: 'bot',
            message: 'Your policy renews on the first of next month at the same price.',
            time: ms(c.startedAt) + 8_100,
            endTime: ms(c.startedAt) + 11_000,
            secondsFromStart: 8.1,
            duration: 2_900,
            source: '',
          },
        ],
        messagesOpenAIFormatted: [
          { role: 'assistant', content: 'Hi, this is Ava from Acme Insurance.' },
        ],
        transcript:
          'AI: Hi, this is Ava from Acme Insurance. Is this Dana?\nUser: Yes, speaking. I wanted to ask about my renewal.\nAI: Your policy renews on the first of next month at the same price.',
        recording: {
          stereoUrl: `https://storage.vapi.ai/${c.callId}-stereo.wav`,
          mono: {
            combinedUrl: `https://storage.vapi.ai/${c.callId}-mono.wav`,
            assistantUrl: `https://storage.vapi.ai/${c.callId}-assistant.wav`,
            customerUrl: `https://storage.vapi.ai/${c.callId}-customer.wav`,
          },
        },
        recordingUrl: `https://storage.vapi.ai/${c.callId}-mono.wav`,
        stereoRecordingUrl: `https://storage.vapi.ai/${c.callId}-stereo.wav`,
        logUrl: `https://calllogs.vapi.ai/${c.callId}.jsonl.gz`,
      },
      analysis: {
        summary: 'Dana asked about her renewal; Ava confirmed the date and the price.',
        structuredData: { outcome: 'callback', renewalDate: '2026-12-01' },
        successEvaluation: 'true',
      },
      assistant: vapiAssistant(c),
      customer: { number: c.customer, name: 'Dana Lee' },
      phoneNumber: { provider: 'twilio', number: c.line, name: 'Sales line' },
      call: vapiCall(c, 'ended', {
        startedAt: c.startedAt,
        endedAt: c.endedAt,
        endedReason,
        cost: 0.1237,
      }),
    },
  };
}

// ---- Retell

function retellCall(
  c: CallScript,
  stage: 'started' | 'ended' | 'analyzed',
  reason = 'user_hangup',
) {
  const inbound = c.direction === 'inbound';
  const base = {
    call_type: 'phone_call',
    call_id: c.callId,
    agent_id: c.agentId,
    agent_version: 3,
    agent_name: 'Riley (support)',
    call_status: stage === 'started' ? 'ongoing' : 'ended',
    direction: c.direction ?? 'outbound',
    from_number: inbound ? c.customer : c.line,
    to_number: inbound ? c.line : c.customer,
    metadata: c.metadata ?? {},
    retell_llm_dynamic_variables: { customer_name: 'Sam' },
    start_timestamp: ms(c.startedAt),
  };
  if (stage === 'started') return base;
  const start = ms(c.startedAt);
  const ended = {
    ...base,
    end_timestamp: ms(c.endedAt),
    duration_ms: ms(c.endedAt) - start,
    disconnection_reason: reason,
    transcript: 'Agent: Hi, this is Riley. How can I help?\nUser: My order has not arrived.\n',
    transcript_object: [
      {
        role: 'agent',
        content: 'Hi, this is Riley. How can I help?',
        words: [
          { word: 'Hi,', start: 0.48, end: 0.7 },
          { word: 'this', start: 0.72, end: 0.9 },
        ],
      },
      {
        role: 'user',
        content: 'My order has not arrived.',
        words: [{ word: 'My', start: 3.1, end: 3.25 }],
      },
    ],
    transcript_with_tool_calls: [],
    recording_url: `https://dxc03zgurdly9.cloudfront.net/${c.callId}/recording.wav`,
    public_log_url: `https://dxc03zgurdly9.cloudfront.net/${c.callId}/public.log`,
    latency: { e2e: { p50: 800, p90: 1200, p95: 1500, p99: 2500, max: 2700, min: 500, num: 10 } },
    call_cost: {
      product_costs: [{ product: 'elevenlabs_tts', unit_price: 1, cost: 60 }],
      total_duration_seconds: 60,
      total_duration_unit_price: 1,
      combined_cost: 70.5,
    },
    opt_out_sensitive_data_storage: false,
  };
  if (stage === 'ended') return ended;
  return {
    ...ended,
    call_analysis: {
      call_summary: 'The customer asked where their order was; the agent opened a ticket.',
      in_voicemail: false,
      user_sentiment: 'Negative',
      call_successful: true,
      custom_analysis_data: { outcome: 'ticket_opened', order_id: 'A-1009' },
    },
  };
}

export const retellCallStarted = (c: CallScript) => ({
  event: 'call_started',
  call: retellCall(c, 'started'),
});
export const retellCallEnded = (c: CallScript, reason?: string) => ({
  event: 'call_ended',
  call: retellCall(c, 'ended', reason),
});
export const retellCallAnalyzed = (c: CallScript, reason?: string) => ({
  event: 'call_analyzed',
  call: retellCall(c, 'analyzed', reason),
});
