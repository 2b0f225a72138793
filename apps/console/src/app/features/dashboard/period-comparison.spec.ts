import type { CallStats } from '@acc/contracts';
import { comparePeriods, previousPeriod } from './period-comparison';

const totals = (t: Partial<CallStats['totals']>): CallStats['totals'] => ({
  calls: 0,
  connected: 0,
  connectRate: 0,
  avgDurationSeconds: 0,
  totalCost: 0,
  ...t,
});

describe('previousPeriod', () => {
  it('is as many days, ending the day before the range', () => {
    expect(previousPeriod('2026-11-08', '2026-12-07')).toEqual({
      first: '2026-10-09',
      last: '2026-11-07',
    });
    expect(previousPeriod('2026-03-01', '2026-03-01')).toEqual({
      first: '2026-02-28',
      last: '2026-02-28',
    });
  });
});

describe('comparePeriods', () => {
  it('says the change of each figure against the previous days', () => {
    const now = totals({ calls: 112, connectRate: 0.455, avgDurationSeconds: 90, totalCost: 5 });
    const before = totals({ calls: 100, connectRate: 0.42, avgDurationSeconds: 100, totalCost: 5 });
    expect(comparePeriods(now, before, 30)).toEqual({
      calls: '+12% vs previous 30 days',
      connectRate: '+3.5 pts vs previous 30 days',
      avgDuration: '−10% vs previous 30 days',
      cost: 'same as previous 30 days',
    });
  });

  it('names one day as a day', () => {
    const c = comparePeriods(totals({ calls: 1 }), totals({ calls: 2 }), 1);
    expect(c.calls).toBe('−50% vs previous day');
  });

  it('compares only the count with a period that had no calls', () => {
    const c = comparePeriods(totals({ calls: 4, connectRate: 0.5, totalCost: 1 }), totals({}), 7);
    expect(c).toEqual({
      calls: 'no calls in the previous 7 days',
      connectRate: '',
      avgDuration: '',
      cost: '',
    });
  });

  it('says what was spent from nothing', () => {
    const c = comparePeriods(totals({ calls: 2, totalCost: 1 }), totals({ calls: 1 }), 7);
    expect(c.cost).toBe('nothing spent in the previous 7 days');
  });

  it('says nothing of a rate the range does not have', () => {
    const c = comparePeriods(totals({}), totals({ calls: 3, connectRate: 1 }), 7);
    expect(c.calls).toBe('−100% vs previous 7 days');
    expect(c.connectRate).toBe('');
    expect(c.avgDuration).toBe('');
    expect(c.cost).toBe('');
  });
});
