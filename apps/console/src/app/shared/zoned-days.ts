/**
 * Day ranges counted in the workspace's time zone, whatever the browser's.
 *
 * The date pickers hold browser-local dates (local midnight of the chosen calendar day); the API
 * and the stats' byDay count days in the tenant's zone. These helpers go from one to the other
 * through the calendar day ('YYYY-MM-DD'), never through the browser's clock.
 */
import { addDays, dayKey, zonedMidnight } from './dates';

/** The start of the day `date` falls on in `timeZone` (DST-safe). */
export function startOfDayInZone(date: Date, timeZone: string): Date {
  return zonedMidnight(dayKey(date, timeZone), timeZone);
}

/** The last millisecond of the day `date` falls on in `timeZone` (23 or 25 hours on DST days). */
export function endOfDayInZone(date: Date, timeZone: string): Date {
  const next = zonedMidnight(addDays(dayKey(date, timeZone), 1), timeZone);
  return new Date(next.getTime() - 1);
}

/*
 * `browserZone` (tests only) stands for the browser's zone, which the date picker works in:
 * left out, the browser's own local time is used, as the picker does.
 */

/** The calendar day a date picker value stands for (the picker works in the browser's zone). */
export function pickerDay(d: Date, browserZone?: string): string {
  return dayKey(d, browserZone);
}

/** A calendar day as a date picker value (browser-local midnight of that day). */
export function pickerDate(day: string, browserZone?: string): Date {
  if (browserZone) return zonedMidnight(day, browserZone);
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return new Date(y, m - 1, d);
}

/**
 * ISO bounds for the picked days counted in `timeZone`: from the start of the first day to the
 * last millisecond of the last one (the first day when no end is picked).
 */
export function zonedRange(
  start: Date,
  end: Date | null | undefined,
  timeZone: string,
  browserZone?: string,
): { from: string; to: string } {
  const first = pickerDay(start, browserZone);
  const last = pickerDay(end ?? start, browserZone);
  const next = zonedMidnight(addDays(last, 1), timeZone);
  return {
    from: zonedMidnight(first, timeZone).toISOString(),
    to: new Date(next.getTime() - 1).toISOString(),
  };
}

/** The last `days` days, today included, in `timeZone`, as date picker values. */
export function lastDays(
  days: number,
  timeZone: string,
  now = new Date(),
  browserZone?: string,
): { start: Date; end: Date } {
  const today = dayKey(now, timeZone);
  return {
    start: pickerDate(addDays(today, -(days - 1)), browserZone),
    end: pickerDate(today, browserZone),
  };
}

/** The picker values showing an ISO range by its days in `timeZone` (an end of 23:59:59.999 stays on its day). */
export function pickerRange(
  from: string | null | undefined,
  to: string | null | undefined,
  timeZone: string,
  browserZone?: string,
): { start: Date | null; end: Date | null } {
  const day = (iso: string | null | undefined) => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : pickerDate(dayKey(d, timeZone), browserZone);
  };
  return { start: day(from), end: day(to) };
}

function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

function formatInstant(d: Date, timeZone: string): string {
  return d.toLocaleString(undefined, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * A range filter as the user thinks of it: whole days in `timeZone` are shown as days
 * ("Nov 27, 2026", "Nov 21, 2026 – Nov 27, 2026"), other bounds as times in that zone.
 */
export function describeRange(
  from: string | null | undefined,
  to: string | null | undefined,
  timeZone: string,
): string {
  const f = from ? new Date(from) : null;
  const t = to ? new Date(to) : null;
  const valid = (d: Date | null): d is Date => !!d && !Number.isNaN(d.getTime());
  const fromIsDay = valid(f) && startOfDayInZone(f, timeZone).getTime() === f.getTime();
  const toIsDay = valid(t) && endOfDayInZone(t, timeZone).getTime() === t.getTime();
  if ((!valid(f) || fromIsDay) && (!valid(t) || toIsDay) && (valid(f) || valid(t))) {
    const a = valid(f) ? dayKey(f, timeZone) : null;
    const b = valid(t) ? dayKey(t, timeZone) : null;
    if (a && b) return a === b ? formatDay(a) : `${formatDay(a)} – ${formatDay(b)}`;
    return a ? `From ${formatDay(a)}` : `Until ${formatDay(b as string)}`;
  }
  const fa = valid(f) ? formatInstant(f, timeZone) : '…';
  const tb = valid(t) ? formatInstant(t, timeZone) : '…';
  return `${fa} – ${tb}`;
}
