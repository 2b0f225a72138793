import type { CallingWindow, WeekdayName } from '@acc/contracts';
import { WEEKDAY_NAMES } from '@acc/contracts';

/** A wall-clock moment in some zone. weekday: 1 = Monday ... 7 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    if (formats.size >= 1_000) formats.clear();
    formats.set(zone, f);
  }
  return f;
}

/** ISO weekday (1 = Monday) of a calendar date. */
const weekdayOf = (year: number, month: number, day: number) =>
  ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;

/** The wall clock in `zone` at instant `t` (ms). */
export function localTime(t: number, zone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(t)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year, month, day, hour, minute } = parts as unknown as LocalTime;
  return { year, month, day, hour, minute, weekday: weekdayOf(year, month, day) };
}

/** Offset of `zone` from UTC at instant t, in ms (whole minutes). */
function offset(t: number, zone: string): number {
  const l = localTime(t, zone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(t / 60_000) * 60_000;
}

/**
 * The instant a wall-clock time happens in `zone`. A time that happens twice
 * (the autumn night) is its first occurrence; one skipped by a
 * daylight-saving jump (02:30 on the spring night) is moved forward by the
 * jump (03:30).
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  clock: string,
  zone: string,
): number {
  const [h, m] = clock.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, h, m);
  const first = wall - offset(wall, zone);
  const second = wall - offset(first, zone);
  const [early, late] = first < second ? [first, second] : [second, first];
  const shows = (t: number) => hhmm(localTime(t, zone)) === clock;
  if (shows(early)) return early;
  // the later shows it, or neither does (a skipped time) and the later is past the jump
  return late;
}

export const hhmm = (l: { hour: number; minute: number }) =>
  `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;

export const localDateTime = (l: LocalTime) =>
  `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')} ${hhmm(l)}`;

/** Whether `t` falls inside the window (start included, end excluded) on an allowed day, in `zone`. */
export function inWindow(
  t: number,
  zone: string,
  days: readonly WeekdayName[],
  window: CallingWindow,
): { day: boolean; time: boolean } {
  const l = localTime(t, zone);
  const clock = hhmm(l);
  return {
    day: days.includes(WEEKDAY_NAMES[l.weekday - 1]),
    time: clock >= window.start && clock < window.end,
  };
}

/**
 * The first instant at or after `from` inside the window on an allowed day
 * in `zone`; null when no day is allowed.
 */
export function nextWindowOpening(
  from: number,
  zone: string,
  days: readonly WeekdayName[],
  window: CallingWindow,
): number | null {
  const start = localTime(from, zone);
  // eight days: today's window may have closed, and the same weekday next week is the last chance
  for (let i = 0; i <= 7; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!days.includes(WEEKDAY_NAMES[weekdayOf(y, m, d) - 1])) continue;
    const opens = zonedInstant(y, m, d, window.start, zone);
    const closes = zonedInstant(y, m, d, window.end, zone);
    if (from < closes) return Math.max(from, opens);
  }
  return null;
}

const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon-Fri", "Mon, Wed, Fri", "Sat-Sun": allowed days as a person writes them. */
export function describeDays(days: readonly WeekdayName[]): string {
  const idx = WEEKDAY_NAMES.map((d, i) => (days.includes(d) ? i : -1)).filter((i) => i >= 0);
  const runs: string[] = [];
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j] + 1) j++;
    runs.push(
      j - i >= 2
        ? `${DAY_LABELS[idx[i]]}-${DAY_LABELS[idx[j]]}`
        : idx
            .slice(i, j + 1)
            .map((k) => DAY_LABELS[k])
            .join(', '),
    );
    i = j + 1;
  }
  return runs.join(', ') || 'none';
}

export const DAY_NAMES_LONG = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
