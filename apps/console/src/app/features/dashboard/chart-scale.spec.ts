import { countTicks, labelledDays, longDay, shortDay } from './chart-scale';

describe('countTicks: the y axis in whole calls', () => {
  it.each([
    [0, [0, 1]],
    [1, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [12, [0, 5, 10, 15]],
    [40, [0, 10, 20, 30, 40]],
    [97, [0, 50, 100]],
    [1234, [0, 500, 1000, 1500]],
  ])('max %p calls: %p', (max, ticks) => {
    expect(countTicks(max)).toEqual(ticks);
  });
});

describe('labelledDays: the dates under the x axis', () => {
  it('labels every day of a week', () => {
    expect(labelledDays(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('labels 30 days every 5 days, first and last included', () => {
    expect(labelledDays(30)).toEqual([0, 5, 10, 15, 20, 25, 29]);
  });

  it('drops a label that would crowd the last one', () => {
    const picked = labelledDays(90);
    expect(picked[0]).toBe(0);
    expect(picked[picked.length - 1]).toBe(89);
    expect(picked.length).toBeLessThanOrEqual(7);
    const gaps = picked.slice(1).map((p, i) => p - picked[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(8);
  });

  it('labels nothing without days', () => {
    expect(labelledDays(0)).toEqual([]);
  });
});

describe('day names', () => {
  it('are the calendar day, whatever the runner zone', () => {
    expect(shortDay('2026-11-27')).toBe('Nov 27');
    expect(longDay('2026-11-27')).toBe('Friday, Nov 27, 2026');
  });
});
