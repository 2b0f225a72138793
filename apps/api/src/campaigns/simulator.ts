import { createHash } from 'node:crypto';
import type { Agent, CallStatus, Lead, TranscriptTurn, UpdateCallRequest } from '@acc/contracts';

/** What the simulator may make of a call; a lead's custom field `simulate` picks one (tests, demos). */
export const SIMULATED_OUTCOMES = [
  'interested',
  'callback',
  'not_interested',
  'do_not_call',
  'no_answer',
  'busy',
  'voicemail',
  'failed',
] as const;
export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

/** Out of 100 calls without a `simulate` field: most are answered, some are not. */
const SHARES: Array<[SimulatedOutcome, number]> = [
  ['interested', 25],
  ['callback', 15],
  ['not_interested', 17],
  ['do_not_call', 3],
  ['no_answer', 20],
  ['busy', 8],
  ['voicemail', 9],
  ['failed', 3],
];

/** The outcome of a simulated call: the lead's `simulate` field, else drawn from the call id (stable). */
export function simulatedOutcome(
  callId: string,
  lead: Pick<Lead, 'customFields'> | null,
): SimulatedOutcome {
  const asked = lead?.customFields?.['simulate'];
  if (typeof asked === 'string' && (SIMULATED_OUTCOMES as readonly string[]).includes(asked))
    return asked as SimulatedOutcome;
  let n = createHash('sha256').update(callId).digest().readUInt32BE(0) % 100;
  for (const [outcome, share] of SHARES) {
    if (n < share) return outcome;
    n -= share;
  }
  return 'interested';
}

const UNANSWERED: Partial<Record<SimulatedOutcome, CallStatus>> = {
  no_answer: 'no_answer',
  busy: 'busy',
  voicemail: 'voicemail',
  failed: 'failed',
};

const REPLIES: Record<string, [string, string, 'positive' | 'neutral' | 'negative', string]> = {
  interested: [
    'Yes, that sounds good. Tell me more.',
    'Great, I will send the details by email today.',
    'positive',
    'The lead is interested and asked for the details by email.',
  ],
  callback: [
    "I'm busy right now, can you call me back tomorrow?",
    'Of course, I will call you back tomorrow. Have a good day.',
    'neutral',
    'The lead asked to be called back tomorrow.',
  ],
  not_interested: [
    "No thanks, I'm not interested.",
    'Understood, thank you for your time.',
    'negative',
    'The lead is not interested.',
  ],
  do_not_call: [
    'Please stop calling me and take me off your list.',
    'I am sorry for the trouble: you will not be called again.',
    'negative',
    'The lead asked not to be called again.',
  ],
};

/**
 * The simulator's steps of a call: ringing, then answered or not, then the
 * conversation's end with a short transcript that carries the agent's
 * configuration (name, voice, model, prompt, first message), so a demo shows
 * what a real dialer would have been given.
 */
export function simulatedStep(
  step: number,
  outcome: SimulatedOutcome,
  agent: Pick<
    Agent,
    'name' | 'voice' | 'llmProvider' | 'llmModel' | 'systemPrompt' | 'firstMessage'
  >,
  lead: Pick<Lead, 'firstName'> | null,
  recording: { enabled: boolean; url: string },
): { update: UpdateCallRequest; next: boolean } {
  if (step === 1) return { update: { status: 'ringing' }, next: true };
  const unanswered = UNANSWERED[outcome];
  if (step === 2) {
    if (unanswered)
      return {
        update: {
          status: unanswered,
          endReason:
            unanswered === 'failed' ? 'the carrier refused the call (simulated)' : unanswered,
        },
        next: false,
      };
    return { update: { status: 'in_progress' }, next: true };
  }
  const [reply, closing, sentiment, summary] = REPLIES[outcome];
  const prompt = agent.systemPrompt.trim();
  const transcript: TranscriptTurn[] = [
    {
      role: 'system',
      text:
        `simulated call by ${agent.name}: voice ${agent.voice}, model ${agent.llmProvider}/${agent.llmModel}` +
        (prompt ? `; prompt: ${prompt.length > 200 ? `${prompt.slice(0, 200)}...` : prompt}` : ''),
      startMs: 0,
    },
    {
      role: 'agent',
      text:
        agent.firstMessage.trim() ||
        `Hello${lead?.firstName ? ` ${lead.firstName}` : ''}, this is ${agent.name}.`,
      startMs: 400,
    },
    { role: 'lead', text: reply, startMs: 3_200 },
    { role: 'agent', text: closing, startMs: 6_100 },
  ];
  return {
    update: {
      status: 'completed',
      endReason: 'hangup',
      outcome,
      sentiment,
      summary,
      transcript,
      ...(recording.enabled && { recordingUrl: recording.url }),
    },
    next: false,
  };
}
