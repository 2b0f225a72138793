import type { Call } from '@acc/contracts';

/** Dispositions that mean "never call me again": the number goes on the do-not-call list. */
const DO_NOT_CALL = new Set(['do_not_call', 'dnc', 'do-not-call', 'remove_from_list']);

const STATUS_TEXT: Record<Call['status'], string> = {
  queued: 'queued',
  ringing: 'ringing',
  in_progress: 'in progress',
  completed: 'reached',
  failed: 'the call failed',
  no_answer: 'no answer',
  busy: 'busy',
  voicemail: 'voicemail',
  canceled: 'the call was cancelled',
};

/** What an ended call means for its campaign lead. */
export function outcomeOf(call: Pick<Call, 'status' | 'outcome' | 'endReason'>): {
  /** a person answered: the lead's turn is done */
  reached: boolean;
  doNotCall: boolean;
  text: string;
} {
  const disposition = call.outcome?.trim().toLowerCase() ?? null;
  const doNotCall = disposition !== null && DO_NOT_CALL.has(disposition);
  let text = STATUS_TEXT[call.status];
  if (call.status === 'completed' && call.outcome) text = `reached: ${call.outcome}`;
  else if (call.status === 'failed' && call.endReason) text = `the call failed: ${call.endReason}`;
  return { reached: call.status === 'completed', doNotCall, text };
}
