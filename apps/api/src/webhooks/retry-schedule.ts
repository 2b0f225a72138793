/**
 * When a failed delivery is tried again: attempt n (1-based) failing waits
 * base * 4^(n-1), give or take a quarter at random (jitter, so that the
 * deliveries of one outage do not all return at once). With the defaults
 * (15 s, 8 attempts) the retries come after about 15 s, 1 min, 4 min,
 * 16 min, 1 h, 4 h and 17 h: the eighth and last attempt about a day after
 * the first.
 */
export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  return Math.round(Math.min(baseMs * 4 ** (attempt - 1), MAX_DELAY_MS) * (0.75 + random() / 2));
}

/** However the schedule is set, a retry waits at most about a week. */
const MAX_DELAY_MS = 5 * 24 * 3_600_000;

/**
 * How long each attempt (1..max) holds its delivery before another worker
 * may try again: its timeout, then the delay it would wait after failing.
 * If the worker dies during the attempt, the delivery's job is already due
 * at that time, so it is tried again as if that attempt had failed.
 */
export function attemptLeasesMs(
  max: number,
  baseMs: number,
  timeoutMs: number,
  random = Math.random,
): number[] {
  return Array.from({ length: max }, (_, i) => timeoutMs + retryDelayMs(i + 1, baseMs, random));
}
