import {
  describeRange,
  pickerDate,
  endOfDayInZone,
  lastDays,
  pickerDay,
  pickerRange,
  startOfDayInZone,
  zonedRange,
} from './zoned-days';

const NY = 'America/New_York';
const BROWSER_ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Kiritimati'];

/*
 * Jest cannot move its process to another zone once started, so the browser's zone (the one the
 * date picker works in) is passed explicitly; left out, the helpers use the browser's local time.
 */
it('reads picker values in the browser zone given, as the picker would there', () => {
  // Tokyo's midnight on 11/21 is still 11/20 in UTC and in New York
  const tokyoPick = pickerDate('2026-11-21', 'Asia/Tokyo');
  expect(tokyoPick.toISOString()).toBe('2026-11-20T15:00:00.000Z');
  expect(pickerDay(tokyoPick, 'Asia/Tokyo')).toBe('2026-11-21');
  // left out: the runner's own local time
  expect(pickerDay(pickerDate('2026-11-21'))).toBe('2026-11-21');
});

describe('startOfDayInZone / endOfDayInZone', () => {
  it('finds the day an instant falls on in the zone, not in UTC', () => {
    // 03:00Z on Nov 28 is still Nov 27 in New York
    const at = new Date('2026-11-28T03:00:00Z');
    expect(startOfDayInZone(at, NY).toISOString()).toBe('2026-11-27T05:00:00.000Z');
    expect(endOfDayInZone(at, NY).toISOString()).toBe('2026-11-28T04:59:59.999Z');
    expect(startOfDayInZone(at, 'Asia/Tokyo').toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(startOfDayInZone(at, 'UTC').toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it('spans 23 hours the day New York springs forward (2026-03-08)', () => {
    const at = new Date('2026-03-08T18:00:00Z');
    const start = startOfDayInZone(at, NY);
    const end = endOfDayInZone(at, NY);
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-09T03:59:59.999Z');
    expect(end.getTime() + 1 - start.getTime()).toBe(23 * 3600_000);
  });

  it('spans 25 hours the day New York falls back (2026-11-01)', () => {
    const at = new Date('2026-11-01T12:00:00Z');
    const start = startOfDayInZone(at, NY);
    const end = endOfDayInZone(at, NY);
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-02T04:59:59.999Z');
    expect(end.getTime() + 1 - start.getTime()).toBe(25 * 3600_000);
  });
});

describe('picked days counted in the workspace zone, whatever the browser zone', () => {
  it.each(BROWSER_ZONES)('browser in %s: 11/21-11/27 is 7 New York days', (browser) => {
    const { start, end } = lastDays(7, NY, new Date('2026-11-27T20:00:00Z'), browser);
    expect([pickerDay(start, browser), pickerDay(end, browser)]).toEqual([
      '2026-11-21',
      '2026-11-27',
    ]);
    expect(zonedRange(start, end, NY, browser)).toEqual({
      from: '2026-11-21T05:00:00.000Z',
      to: '2026-11-28T04:59:59.999Z',
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: today is the workspace today', (browser) => {
    // 02:00Z on Nov 28: Tokyo and UTC are on the 28th, New York still on the 27th
    const { start, end } = lastDays(30, NY, new Date('2026-11-28T02:00:00Z'), browser);
    expect([pickerDay(start, browser), pickerDay(end, browser)]).toEqual([
      '2026-10-29',
      '2026-11-27',
    ]);
  });

  it.each(BROWSER_ZONES)('browser in %s: a range across both DST changes', (browser) => {
    const r = zonedRange(
      pickerDate('2026-03-08', browser),
      pickerDate('2026-11-01', browser),
      NY,
      browser,
    );
    expect(r).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-11-02T04:59:59.999Z' });
  });

  it.each(BROWSER_ZONES)('browser in %s: a single picked day is that one day', (browser) => {
    expect(zonedRange(pickerDate('2026-11-27', browser), null, NY, browser)).toEqual({
      from: '2026-11-27T05:00:00.000Z',
      to: '2026-11-28T04:59:59.999Z',
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: a URL range shows its workspace days', (browser) => {
    const { start, end } = pickerRange(
      '2026-11-27T05:00:00.000Z',
      '2026-11-28T04:59:59.999Z',
      NY,
      browser,
    );
    expect([pickerDay(start as Date, browser), pickerDay(end as Date, browser)]).toEqual([
      '2026-11-27',
      '2026-11-27',
    ]);
  });

  it('the runner zone (no browserZone) gives the same days', () => {
    const { start, end } = lastDays(7, NY, new Date('2026-11-27T20:00:00Z'));
    expect(zonedRange(start, end, NY)).toEqual({
      from: '2026-11-21T05:00:00.000Z',
      to: '2026-11-28T04:59:59.999Z',
    });
  });
});

describe('describeRange', () => {
  it('names whole workspace days as days', () => {
    expect(describeRange('2026-11-27T05:00:00.000Z', '2026-11-28T04:59:59.999Z', NY)).toMatch(
      /^Nov 27, 2026$/,
    );
    expect(describeRange('2026-11-21T05:00:00.000Z', '2026-11-28T04:59:59.999Z', NY)).toBe(
      'Nov 21, 2026 – Nov 27, 2026',
    );
  });

  it('shows other bounds as times in the workspace zone', () => {
    const s = describeRange('2026-11-27T15:00:00.000Z', '2026-11-27T17:00:00.000Z', NY);
    expect(s).toContain('10:00');
    expect(s).toContain('12:00');
  });
});
