/**
 * The dashboard's figures against the period of the same length just before the range:
 * "+12% vs previous 30 days". Pure, so the wording is tested without the page.
 */
import type { CallStats } from '@acc/contracts';
import { addDays, daysBetween } from '../../shared/dates';

/** The calendar days (YYYY-MM-DD) just before `first`..`last`, as many as it has. */
export function previousPeriod(first: string, last: string): { first: string; last: string } {
  const n = daysBetween(first, last).length || 1;
  return { first: addDays(first, -n), last: addDays(first, -1) };
}

function periodName(days: number): string {
  return days === 1 ? 'previous day' : `previous ${days} days`;
}

/** A relative change of a count or amount: "+12% vs previous 30 days". */
function relative(now: number, before: number, period: string, fromNothing: string): string {
  if (before === 0) return now === 0 ? `same as ${period}` : `${fromNothing} in the ${period}`;
  const pct = Math.round(((now - before) / before) * 100);
  if (pct === 0) return `same as ${period}`;
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)}% vs ${period}`;
}

export interface PeriodComparison {
  calls: string;
  connectRate: string;
  avgDuration: string;
  cost: string;
}

/** A change of a ratio in percentage points: "+3.5 pts vs previous 30 days". */
function points(now: number, before: number, period: string): string {
  const pts = Math.round((now - before) * 1000) / 10;
  if (pts === 0) return `same as ${period}`;
  return `${pts > 0 ? '+' : '−'}${Math.abs(pts)} pts vs ${period}`;
}

/**
 * Each headline figure of `now` against `before` (the previous `days` days). The count of calls
 * always; the rate, the average and the cost only when both periods had calls (empty
 * otherwise: a comparison with nothing says nothing the count does not).
 */
export function comparePeriods(
  now: CallStats['totals'],
  before: CallStats['totals'],
  days: number,
): PeriodComparison {
  const period = periodName(days);
  const calls = relative(now.calls, before.calls, period, 'no calls');
  if (now.calls === 0 || before.calls === 0)
    return { calls, connectRate: '', avgDuration: '', cost: '' };
  return {
    calls,
    connectRate: points(now.connectRate, before.connectRate, period),
    avgDuration: relative(
      now.avgDurationSeconds,
      before.avgDurationSeconds,
      period,
      'no talk time',
    ),
    cost: relative(now.totalCost, before.totalCost, period, 'nothing spent'),
  };
}
