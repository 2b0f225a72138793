/**
 * The day chart's axes as pure arithmetic: a y scale of round call counts and the days that get
 * a date under the x axis.
 */

/**
 * Round ticks from 0 to at least `max` (about `count` steps of 1, 2 or 5 times a power of ten,
 * never a fraction of a call): the chart scales its bars to the last one.
 */
export function countTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power);
  const ticks = [0];
  while (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/**
 * The indexes of the days labelled under `n` bars: at most `max` evenly spaced, the first and
 * the last always among them (unless two would collide).
 */
export function labelledDays(n: number, max = 7): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const every = Math.ceil((n - 1) / (max - 1));
  const picked: number[] = [];
  for (let i = 0; i < n - 1; i += every) picked.push(i);
  // the last day replaces a label too close before it
  if (n - 1 - picked[picked.length - 1] < every / 2) picked.pop();
  picked.push(n - 1);
  return picked;
}

/** "Nov 27" for a calendar day (YYYY-MM-DD), whatever the browser's zone. */
export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
  });
}

/** "Friday, Nov 27, 2026" for a calendar day: what a screen reader says of a bar. */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}
