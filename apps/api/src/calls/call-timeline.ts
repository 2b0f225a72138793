import {
  type Call,
  type CallStatus,
  type UpdateCallRequest,
  TERMINAL_CALL_STATUSES,
} from '@acc/contracts';

/**
 * The pure rules of a call's timestamps: which ones a status implies, how
 * missing ones are filled, and what makes a set of them impossible. The
 * service applies them to what the repository stored; nothing here does I/O.
 */

const TERMINAL = new Set<CallStatus>(TERMINAL_CALL_STATUSES);

export type TimeField = 'startedAt' | 'answeredAt' | 'endedAt';
export type Instant = string | null | undefined;
/** How far ahead of the database clock a timestamp may be (the provider's clock may run ahead). */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CALL_MS = 24 * 3_600_000;

/** The timestamps a status implies, filled when neither given nor already set. */
export function impliedFields(status: CallStatus | undefined): TimeField[] {
  if (!status || status === 'queued') return [];
  const out: TimeField[] = ['startedAt'];
  if (status === 'in_progress' || status === 'completed') out.push('answeredAt');
  if (TERMINAL.has(status)) out.push('endedAt');
  return out;
}

export const ORDER: TimeField[] = ['startedAt', 'answeredAt', 'endedAt'];

/**
 * The call's timestamps once a write is applied: the body's, else the stored
 * ones. One the new status implies and nobody set takes the next one known
 * after it (a call reported ended at 10:00 was answered and started by then,
 * as far as anyone knows), else now.
 */
export function mergedTimestamps(
  b: UpdateCallRequest,
  stored: Partial<Record<TimeField, Instant>>,
  status: CallStatus | undefined,
  now: string,
): { at: Record<TimeField, Instant>; filled: TimeField[] } {
  const filled = impliedFields(status).filter((f) => b[f] === undefined && !stored[f]);
  const at = {} as Record<TimeField, Instant>;
  let next: Instant = now;
  for (const f of [...ORDER].reverse()) {
    at[f] = b[f] !== undefined ? b[f] : filled.includes(f) ? next : stored[f];
    if (at[f]) next = at[f];
  }
  return { at, filled };
}

/**
 * Merged timestamps must be in order (startedAt <= answeredAt <= endedAt) and
 * not in the future beyond the clock skew; answers the 400 messages, naming
 * the field given.
 */
export function timestampIssues(
  b: UpdateCallRequest,
  { at, filled }: ReturnType<typeof mergedTimestamps>,
  now: string,
): string[] {
  const changed = ORDER.filter((f) => b[f] !== undefined || filled.includes(f));
  if (changed.length === 0) return [];
  const nowMs = new Date(now).getTime();
  const ms = (f: TimeField) => (at[f] ? new Date(at[f] as string).getTime() : null);
  const issues: string[] = [];
  for (const f of changed) {
    const t = ms(f);
    if (t !== null && t > nowMs + CLOCK_SKEW_MS) {
      issues.push(`${f}: must not be in the future (more than 5 minutes ahead)`);
    }
  }
  const pairs: Array<[TimeField, TimeField]> = [
    ['startedAt', 'answeredAt'],
    ['answeredAt', 'endedAt'],
  ];
  // with answeredAt set, the two pairs above already order startedAt before endedAt
  if (ms('answeredAt') === null) pairs.push(['startedAt', 'endedAt']);
  for (const [x, y] of pairs) {
    const [tx, ty] = [ms(x), ms(y)];
    if (tx === null || ty === null || tx <= ty) continue;
    issues.push(
      b[y] !== undefined || b[x] === undefined
        ? `${y}: must not be before ${x}`
        : `${x}: must not be after ${y}`,
    );
  }
  // the duration is whole seconds in an integer column; no call runs for a day
  const [answered, ended] = [ms('answeredAt'), ms('endedAt')];
  if (answered !== null && ended !== null && ended - answered > MAX_CALL_MS) {
    issues.push(
      b.endedAt !== undefined || b.answeredAt === undefined
        ? 'endedAt: a call lasts at most 24 hours after answeredAt'
        : 'answeredAt: a call lasts at most 24 hours before endedAt',
    );
  }
  return issues;
}

// ---- what a voice provider reports of a call (its webhook events)

/** The fields a provider's event may tell besides the status. */
export type ReportedFields = Pick<
  Call,
  | 'startedAt'
  | 'answeredAt'
  | 'endedAt'
  | 'endReason'
  | 'outcome'
  | 'sentiment'
  | 'summary'
  | 'transcript'
  | 'recordingUrl'
  | 'cost'
  | 'analysis'
>;

/**
 * One provider event about one call. `facts` come from the provider's record
 * of the call and are the same in every event that carries them, so they
 * replace what is stored; `fallbacks` are what an event can only guess ("by
 * the time this event was sent", an outcome read from the end reason when the
 * analysis may still name a better one): they fill a field nothing else has
 * set, and never replace one.
 */
export interface CallReport {
  status: CallStatus;
  facts: Partial<ReportedFields>;
  fallbacks: Partial<ReportedFields>;
}

export type StoredReport = { status: CallStatus } & Partial<ReportedFields>;

const STAGE: Record<CallStatus, number> = {
  queued: 0,
  ringing: 1,
  in_progress: 2,
  completed: 3,
  failed: 3,
  no_answer: 3,
  busy: 3,
  voicemail: 3,
  canceled: 3,
};
/** Two different ends reported for one call (they should agree): a fixed choice, whatever arrived first. */
const END_PRECEDENCE: CallStatus[] = [
  'completed',
  'voicemail',
  'busy',
  'no_answer',
  'canceled',
  'failed',
];

/**
 * The status after a report: the one furthest along, so a late "started"
 * never reopens an ended call, and a repeat changes nothing.
 */
export function reportedStatus(stored: CallStatus | undefined, reported: CallStatus): CallStatus {
  if (!stored) return reported;
  if (STAGE[reported] !== STAGE[stored]) return STAGE[reported] > STAGE[stored] ? reported : stored;
  if (STAGE[stored] < 3) return stored;
  return END_PRECEDENCE.indexOf(reported) < END_PRECEDENCE.indexOf(stored) ? reported : stored;
}

/**
 * A call's status and fields after one more provider event, whatever order
 * the events arrive in and however often: facts replace, fallbacks fill only
 * gaps, the status only moves forward, and the timestamps the status implies
 * are filled and checked as for any call (mergedTimestamps, timestampIssues).
 */
export function mergeReport(
  stored: StoredReport | undefined,
  r: CallReport,
  now: string,
): { status: CallStatus; values: Partial<ReportedFields>; issues: string[] } {
  const status = reportedStatus(stored?.status, r.status);
  const values: Record<string, unknown> = {};
  const given = (v: unknown) => v !== undefined && v !== null;
  for (const [k, v] of Object.entries(r.facts)) {
    if (given(v) && !ORDER.includes(k as TimeField)) values[k] = v;
  }
  for (const [k, v] of Object.entries(r.fallbacks)) {
    const held = values[k] ?? stored?.[k as keyof ReportedFields];
    if (given(v) && !given(held) && !ORDER.includes(k as TimeField)) values[k] = v;
  }
  const known: UpdateCallRequest = {};
  for (const f of ORDER) {
    const at = r.facts[f] ?? stored?.[f] ?? r.fallbacks[f];
    if (at) known[f] = at;
  }
  const times = mergedTimestamps(known, {}, status, now);
  const issues = timestampIssues(known, times, now);
  for (const f of ORDER) if (times.at[f]) values[f] = times.at[f];
  return { status, values: values as Partial<ReportedFields>, issues };
}

/** Which of our agents' versions ran a call, as a provider's event says (metadata we dispatched). */
export interface RanAs {
  agentId: string;
  version: number;
}
