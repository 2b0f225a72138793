/** Calendar-day helpers. Days are 'YYYY-MM-DD' strings, as the stats API reports them. */

function partsIn(instant: number, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Offset of `timeZone` from UTC at `instant`, in ms (Paris in winter: +3 600 000). */
export function tzOffsetMs(instant: number, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(
    p['year'],
    p['month'] - 1,
    p['day'],
    p['hour'] % 24,
    p['minute'],
    p['second'],
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The day an instant falls on in a time zone (the browser's when none is given). */
export function dayKey(date: Date, timeZone?: string): string {
  if (!timeZone) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }
  const p = partsIn(date.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p['year']}-${pad(p['month'])}-${pad(p['day'])}`;
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive (at most `max`). */
export function daysBetween(from: string, to: string, max = 400): string[] {
  const out: string[] = [];
  for (let d = from.slice(0, 10); d <= to.slice(0, 10) && out.length < max; d = addDays(d, 1)) {
    out.push(d);
  }
  return out;
}

/** The instant a day starts in a time zone (DST-safe: two passes over the offset). */
export function zonedMidnight(day: string, timeZone: string): Date {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let t = wall - tzOffsetMs(wall, timeZone);
  t = wall - tzOffsetMs(t, timeZone);
  return new Date(t);
}

/** ISO bounds of one day in a time zone, `to` being the last millisecond of that day. */
export function dayRange(day: string, timeZone: string): { from: string; to: string } {
  const from = zonedMidnight(day, timeZone);
  const next = zonedMidnight(addDays(day, 1), timeZone);
  return { from: from.toISOString(), to: new Date(next.getTime() - 1).toISOString() };
}

export function startOfLocalDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

export function endOfLocalDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 23, 59, 59, 999);
}

export function isValidTimeZone(tz: string | null | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
