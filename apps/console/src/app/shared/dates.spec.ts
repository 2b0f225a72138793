import { addDays, dayKey, dayRange, daysBetween, tzOffsetMs, zonedMidnight } from './dates';

describe('dates', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('lists the days of a range', () => {
    expect(daysBetween('2025-01-30', '2025-02-02')).toEqual([
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
    ]);
    expect(daysBetween('2025-01-02', '2025-01-01')).toEqual([]);
  });

  it('knows zone offsets', () => {
    expect(tzOffsetMs(Date.UTC(2025, 0, 15), 'Europe/Paris')).toBe(3600_000);
    expect(tzOffsetMs(Date.UTC(2025, 6, 15), 'Europe/Paris')).toBe(7200_000);
    expect(tzOffsetMs(Date.UTC(2025, 0, 15), 'UTC')).toBe(0);
  });

  it('finds the start of a day in a zone, DST included', () => {
    expect(zonedMidnight('2025-01-15', 'UTC').toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(zonedMidnight('2025-01-15', 'America/New_York').toISOString()).toBe(
      '2025-01-15T05:00:00.000Z',
    );
    // The day New York springs forward still starts at local midnight (EST).
    expect(zonedMidnight('2025-03-09', 'America/New_York').toISOString()).toBe(
      '2025-03-09T05:00:00.000Z',
    );
    expect(zonedMidnight('2025-03-10', 'America/New_York').toISOString()).toBe(
      '2025-03-10T04:00:00.000Z',
    );
  });

  it('gives the ISO bounds of a bar on the dashboard', () => {
    expect(dayRange('2025-07-14', 'Europe/Paris')).toEqual({
      from: '2025-07-13T22:00:00.000Z',
      to: '2025-07-14T21:59:59.999Z',
    });
  });

  it('names the day an instant falls on in a zone', () => {
    const instant = new Date('2025-07-14T23:30:00Z');
    expect(dayKey(instant, 'UTC')).toBe('2025-07-14');
    expect(dayKey(instant, 'Europe/Paris')).toBe('2025-07-15');
  });
});
