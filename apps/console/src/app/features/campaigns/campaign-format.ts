import type { Campaign, WeekdayName } from '@acc/contracts';
import { WEEKDAY_NAMES } from '@acc/contracts';

const LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon-Fri", "Mon, Wed, Fri": a campaign's days as people write them. */
export function describeDays(days: readonly WeekdayName[]): string {
  const idx = WEEKDAY_NAMES.map((d, i) => (days.includes(d) ? i : -1)).filter((i) => i >= 0);
  const runs: string[] = [];
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j] + 1) j++;
    runs.push(
      j - i >= 2
        ? `${LABELS[idx[i]]}-${LABELS[idx[j]]}`
        : idx
            .slice(i, j + 1)
            .map((k) => LABELS[k])
            .join(', '),
    );
    i = j + 1;
  }
  return runs.join(', ') || 'no day';
}

/** "Mon-Fri 09:00-20:00, each lead's time zone". */
export function describeSchedule(c: Pick<Campaign, 'schedule'>): string {
  const s = c.schedule;
  const zone = s.timezone === 'lead' ? "each lead's time zone" : s.timezone;
  return `${describeDays(s.days)} ${s.window.start}-${s.window.end}, ${zone}`;
}

/** Leads whose turn is over, out of all. */
export function doneShare(c: Pick<Campaign, 'progress'>): number {
  const p = c.progress;
  return p.total ? (p.completed + p.failed + p.skipped) / p.total : 0;
}
