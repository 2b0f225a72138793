import { type CallStatus, type UpdateCallRequest, TERMINAL_CALL_STATUSES } from '@acc/contracts';

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
