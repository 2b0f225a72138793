import {
  describeRange,
  endOfDayInZone,
  lastDays,
  pickerDay,
  pickerRange,
  startOfDayInZone,
  zonedRange,
} from './zoned-days';

const NY = 'America/New_York';
const BROWSER_ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Kiritimati'];

/** Runs `fn` with the process (the "browser") in another time zone. */
function inBrowserZone(tz: string, fn: () => void): void {
  const saved = process.env['TZ'];
  process.env['TZ'] = tz;
  try {
    fn();
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
}

it('really moves the "browser" to another zone', () => {
  inBrowserZone('Asia/Tokyo', () =>
    expect(new Date(2026, 10, 21).toISOString()).toBe('2026-11-20T15:00:00.000Z'),
  );
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
    inBrowserZone(browser, () => {
      const { start, end } = lastDays(7, NY, new Date('2026-11-27T20:00:00Z'));
      expect([pickerDay(start), pickerDay(end)]).toEqual(['2026-11-21', '2026-11-27']);
      expect(zonedRange(start, end, NY)).toEqual({
        from: '2026-11-21T05:00:00.000Z',
        to: '2026-11-28T04:59:59.999Z',
      });
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: today is the workspace today', (browser) => {
    inBrowserZone(browser, () => {
      // 02:00Z on Nov 28: Tokyo and UTC are on the 28th, New York still on the 27th
      const { start, end } = lastDays(30, NY, new Date('2026-11-28T02:00:00Z'));
      expect([pickerDay(start), pickerDay(end)]).toEqual(['2026-10-29', '2026-11-27']);
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: a range across both DST changes', (browser) => {
    inBrowserZone(browser, () => {
      const r = zonedRange(new Date(2026, 2, 8), new Date(2026, 10, 1), NY);
      expect(r).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-11-02T04:59:59.999Z' });
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: a single picked day is that one day', (browser) => {
    inBrowserZone(browser, () => {
      expect(zonedRange(new Date(2026, 10, 27), null, NY)).toEqual({
        from: '2026-11-27T05:00:00.000Z',
        to: '2026-11-28T04:59:59.999Z',
      });
    });
  });

  it.each(BROWSER_ZONES)('browser in %s: a URL range shows its workspace days', (browser) => {
    inBrowserZone(browser, () => {
      const { start, end } = pickerRange(
        '2026-11-27T05:00:00.000Z',
        '2026-11-28T04:59:59.999Z',
        NY,
      );
      expect([pickerDay(start as Date), pickerDay(end as Date)]).toEqual([
        '2026-11-27',
        '2026-11-27',
      ]);
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
