import { createHmac } from 'node:crypto';
import { Retell } from 'retell-sdk';
import { type CallReport, mergeReport } from '../calls/call-timeline';
import {
  type CallScript,
  retellCallAnalyzed,
  retellCallEnded,
  retellCallStarted,
  vapiEndOfCallReport,
  vapiStatusUpdate,
} from '../testing/provider-payloads';
import type { ProviderCallEvent, ProviderEvent } from './provider-event';
import { RETELL_TOLERANCE_MS, retellAuthentic, vapiAuthentic } from './provider-signatures';
import { RetellEnvelope, retellEndStatus, retellEvent } from './retell-events';
import { VapiEnvelope, vapiEndStatus, vapiEvent } from './vapi-events';

const script: CallScript = {
  callId: 'c1d2e3f4-0000-4000-8000-00000000abcd',
  agentId: 'asst_9f8e7d6c',
  customer: '+14155550123',
  line: '+14155550999',
  startedAt: '2026-11-02T10:00:00.000Z',
  endedAt: '2026-11-02T10:01:12.000Z',
};
const NOW = '2026-11-02T12:00:00.000Z';

const vapi = (body: unknown) => vapiEvent(VapiEnvelope.parse(body));
const retell = (body: unknown) => retellEvent(RetellEnvelope.parse(body));
const asCall = (e: ProviderEvent) => {
  if (e.kind !== 'call') throw new Error(`ignored: ${e.reason}`);
  return e as ProviderCallEvent;
};

/** Every order of the events, merged one after the other as the service does. */
function finalState(reports: CallReport[]) {
  let stored: ReturnType<typeof mergeReport> | undefined;
  for (const r of reports) {
    const m = mergeReport(stored && { status: stored.status, ...stored.values }, r, NOW);
    expect(m.issues).toEqual([]);
    stored = { ...m, values: { ...stored?.values, ...m.values } };
  }
  return { status: stored?.status, ...stored?.values };
}
const permutations = <T>(xs: T[]): T[][] =>
  xs.length <= 1
    ? [xs]
    : xs.flatMap((x, i) =>
        permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]),
      );

describe('Vapi server messages', () => {
  it('maps the end-of-call report: numbers, times, cost, transcript, recording, summary, analysis, outcome', () => {
    const e = asCall(vapi(vapiEndOfCallReport(script)));
    expect(e).toMatchObject({
      provider: 'vapi',
      providerCallId: script.callId,
      agent: { id: script.agentId, name: 'Ava (renewals)' },
      direction: 'outbound',
      customerNumber: script.customer,
      customerName: 'Dana Lee',
      ourNumber: script.line,
    });
    expect(e.report.status).toBe('completed');
    expect(e.report.facts).toEqual({
      startedAt: script.startedAt,
      answeredAt: script.startedAt,
      endedAt: script.endedAt,
      endReason: 'customer-ended-call',
      cost: 0.1237,
      recordingUrl: `https://storage.vapi.ai/${script.callId}-mono.wav`,
      summary: 'Dana asked about her renewal; Ava confirmed the date and the price.',
      transcript: [
        { role: 'agent', text: 'Hi, this is Ava from Acme Insurance. Is this Dana?', startMs: 600 },
        { role: 'lead', text: 'Yes, speaking. I wanted to ask about my renewal.', startMs: 4200 },
        {
          role: 'agent',
          text: 'Your policy renews on the first of next month at the same price.',
          startMs: 8100,
        },
      ],
      analysis: {
        structuredData: { outcome: 'callback', renewalDate: '2026-12-01' },
        successEvaluation: 'true',
      },
      outcome: 'callback',
    });
  });

  it.each([
    ['customer-did-not-answer', 'no_answer'],
    ['customer-busy', 'busy'],
    ['voicemail', 'voicemail'],
    ['manually-canceled', 'canceled'],
    ['twilio-failed-to-connect-call', 'failed'],
    ['pipeline-error-openai-llm-failed', 'failed'],
    ['call.in-progress.error-vapifault-worker-died', 'failed'],
    ['assistant-request-returned-error', 'failed'],
    ['customer-ended-call', 'completed'],
    ['assistant-ended-call', 'completed'],
    ['silence-timed-out', 'completed'],
    ['exceeded-max-duration', 'completed'],
    ['assistant-forwarded-call', 'completed'],
  ])('endedReason %s ends the call %s', (reason, status) => {
    expect(vapiEndStatus(reason)).toBe(status);
  });

  it('an unanswered call has no answer time and no outcome', () => {
    const e = asCall(vapi(vapiEndOfCallReport(script, 'customer-did-not-answer')));
    expect(e.report.status).toBe('no_answer');
    expect(e.report.facts.answeredAt).toBeUndefined();
    expect(e.report.facts.outcome).toBeUndefined();
  });

  it('maps status updates, with the message time only as a fallback', () => {
    const ringing = asCall(vapi(vapiStatusUpdate(script, 'ringing', '2026-11-02T09:59:58.000Z')));
    expect(ringing.report).toEqual({
      status: 'ringing',
      facts: {},
      fallbacks: { startedAt: '2026-11-02T09:59:58.000Z' },
    });
    const live = asCall(vapi(vapiStatusUpdate(script, 'in-progress', '2026-11-02T10:00:01.000Z')));
    expect(live.report.status).toBe('in_progress');
    expect(live.report.facts).toEqual({
      startedAt: script.startedAt,
      answeredAt: script.startedAt,
    });
    const ended = asCall(
      vapi(
        vapiStatusUpdate(script, 'ended', '2026-11-02T10:01:13.000Z', 'assistant-forwarded-call'),
      ),
    );
    expect(ended.report.status).toBe('completed');
    expect(ended.report.fallbacks).toMatchObject({
      endedAt: '2026-11-02T10:01:13.000Z',
      outcome: 'transferred',
    });
  });

  it('ignores other message types and web calls', () => {
    expect(vapi({ message: { type: 'transcript', role: 'user', transcript: 'hi' } })).toEqual({
      kind: 'ignored',
      reason: 'transcript messages are not recorded',
    });
    const web = vapiEndOfCallReport(script) as { message: { call: { type: string } } };
    web.message.call.type = 'webCall';
    expect(vapi(web)).toMatchObject({
      kind: 'ignored',
      reason: 'webCall calls carry no phone number',
    });
  });

  it('ends up the same whatever the order of its events, and however often they come', () => {
    const reports = [
      vapiStatusUpdate(script, 'ringing', '2026-11-02T09:59:58.000Z'),
      vapiStatusUpdate(script, 'in-progress', '2026-11-02T10:00:01.000Z'),
      vapiStatusUpdate(script, 'ended', '2026-11-02T10:01:13.000Z', 'customer-ended-call'),
      vapiEndOfCallReport(script),
    ].map((b) => asCall(vapi(b)).report);
    const expected = finalState(reports);
    expect(expected).toMatchObject({
      status: 'completed',
      startedAt: script.startedAt,
      answeredAt: script.startedAt,
      endedAt: script.endedAt,
      outcome: 'callback',
    });
    for (const order of permutations(reports)) expect(finalState(order)).toEqual(expected);
    expect(finalState([...reports, ...reports])).toEqual(expected);
  });
});

describe('Retell webhooks', () => {
  it('maps call_analyzed: ms timestamps, cost in cents, transcript, sentiment, analysis, outcome', () => {
    const e = asCall(retell(retellCallAnalyzed(script)));
    expect(e).toMatchObject({
      provider: 'retell',
      providerCallId: script.callId,
      agent: { id: script.agentId, name: 'Riley (support)' },
      direction: 'outbound',
      customerNumber: script.customer,
      ourNumber: script.line,
    });
    expect(e.report.status).toBe('completed');
    expect(e.report.facts).toEqual({
      startedAt: script.startedAt,
      answeredAt: script.startedAt,
      endedAt: script.endedAt,
      endReason: 'user_hangup',
      recordingUrl: `https://dxc03zgurdly9.cloudfront.net/${script.callId}/recording.wav`,
      cost: 0.705,
      transcript: [
        { role: 'agent', text: 'Hi, this is Riley. How can I help?', startMs: 480 },
        { role: 'lead', text: 'My order has not arrived.', startMs: 3100 },
      ],
      summary: 'The customer asked where their order was; the agent opened a ticket.',
      sentiment: 'negative',
      analysis: {
        in_voicemail: false,
        user_sentiment: 'Negative',
        call_successful: true,
        custom_analysis_data: { outcome: 'ticket_opened', order_id: 'A-1009' },
      },
      outcome: 'ticket_opened',
    });
  });

  it('an inbound call: the caller is the customer', () => {
    const e = asCall(retell(retellCallStarted({ ...script, direction: 'inbound' })));
    expect(e).toMatchObject({
      direction: 'inbound',
      customerNumber: script.customer,
      ourNumber: script.line,
    });
    expect(e.report).toEqual({
      status: 'in_progress',
      facts: { startedAt: script.startedAt, answeredAt: script.startedAt },
      fallbacks: {},
    });
  });

  it.each([
    ['dial_busy', 'busy'],
    ['dial_no_answer', 'no_answer'],
    ['voicemail_reached', 'voicemail'],
    ['dial_failed', 'failed'],
    ['error_llm_websocket_open', 'failed'],
    ['user_hangup', 'completed'],
    ['agent_hangup', 'completed'],
    ['call_transfer', 'completed'],
    ['max_duration_reached', 'completed'],
  ])('disconnection_reason %s ends the call %s', (reason, status) => {
    expect(retellEndStatus(reason)).toBe(status);
  });

  it('ignores other events and web calls', () => {
    expect(
      retell({ event: 'transcript_updated', call: retellCallEnded(script).call }),
    ).toMatchObject({
      kind: 'ignored',
    });
    const web = retellCallEnded(script) as { call: { call_type: string } };
    web.call.call_type = 'web_call';
    expect(retell(web)).toEqual({
      kind: 'ignored',
      reason: 'web_call calls carry no phone number',
    });
  });

  it('ends up the same whatever the order of its events (ended before started), and however often they come', () => {
    const reports = [
      retellCallStarted(script),
      retellCallEnded(script, 'call_transfer'),
      retellCallAnalyzed(script, 'call_transfer'),
    ].map((b) => asCall(retell(b)).report);
    const expected = finalState(reports);
    expect(expected).toMatchObject({
      status: 'completed',
      outcome: 'ticket_opened',
      sentiment: 'negative',
    });
    for (const order of permutations(reports)) expect(finalState(order)).toEqual(expected);
    expect(finalState([reports[1], reports[1], reports[0]])).toMatchObject({
      status: 'completed',
      outcome: 'transferred',
    });
  });
});

describe('provider signatures', () => {
  const body = Buffer.from(JSON.stringify(vapiEndOfCallReport(script)));
  const secret = 'vapi-secret-0123456789';

  it('Vapi: a Bearer token, the older x-vapi-secret, or x-vapi-signature (hex HMAC-SHA256 of the body)', () => {
    const hmac = createHmac('sha256', secret).update(body).digest('hex');
    expect(vapiAuthentic({ authorization: `Bearer ${secret}` }, body, secret)).toBe(true);
    expect(vapiAuthentic({ 'x-vapi-secret': secret }, body, secret)).toBe(true);
    expect(vapiAuthentic({ 'x-vapi-signature': hmac }, body, secret)).toBe(true);
  });

  it('Vapi: a wrong or missing credential, or a body changed after signing, is refused', () => {
    const hmac = createHmac('sha256', secret).update(body).digest('hex');
    expect(vapiAuthentic({}, body, secret)).toBe(false);
    expect(vapiAuthentic({ authorization: `Bearer ${secret}x` }, body, secret)).toBe(false);
    expect(vapiAuthentic({ authorization: secret }, body, secret)).toBe(false);
    expect(vapiAuthentic({ 'x-vapi-secret': 'vapi-secret' }, body, secret)).toBe(false);
    expect(vapiAuthentic({ 'x-vapi-signature': hmac }, Buffer.from(`${body} `), secret)).toBe(
      false,
    );
    expect(vapiAuthentic({ 'x-vapi-signature': 'zz' }, body, secret)).toBe(false);
  });

  it("Retell: the signature retell-sdk's sign(body, apiKey) makes is accepted, within five minutes", async () => {
    const apiKey = 'key_0123456789abcdef';
    const text = JSON.stringify(retellCallEnded(script));
    const signature = await Retell.sign(text, apiKey);
    expect(signature).toMatch(/^v=\d+,d=[0-9a-f]{64}$/);
    const at = Number(/^v=(\d+)/.exec(signature)?.[1]);
    const raw = Buffer.from(text);
    expect(retellAuthentic({ 'x-retell-signature': signature }, raw, apiKey, at)).toBe(true);
    expect(
      retellAuthentic({ 'x-retell-signature': signature }, raw, apiKey, at + RETELL_TOLERANCE_MS),
    ).toBe(true);
    // too old, another key, another body, no header
    expect(
      retellAuthentic(
        { 'x-retell-signature': signature },
        raw,
        apiKey,
        at + RETELL_TOLERANCE_MS + 1,
      ),
    ).toBe(false);
    expect(retellAuthentic({ 'x-retell-signature': signature }, raw, `${apiKey}x`, at)).toBe(false);
    expect(
      retellAuthentic({ 'x-retell-signature': signature }, Buffer.from(`${text} `), apiKey, at),
    ).toBe(false);
    expect(retellAuthentic({}, raw, apiKey, at)).toBe(false);
    // and what we accept, the SDK's verify accepts too
    expect(await Retell.verify(text, apiKey, signature)).toBe(true);
  });
});
