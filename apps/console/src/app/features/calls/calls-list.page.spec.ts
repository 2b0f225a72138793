import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { dayKey, dayRange } from '../../shared/dates';
import { pickerDate } from '../../shared/zoned-days';
import { CallsListPage } from './calls-list.page';
import { openRoute } from '../../testing/route-harness';

/*
 * The workspace's zone: New York, unless the runner itself is in New York (Jest cannot move its
 * process to another zone), so the browser's and the workspace's zones always differ here. The
 * date picker works in the browser's zone, the runner's: picker values are built in it explicitly.
 */
const RUNNER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const WS = RUNNER_ZONE === 'America/New_York' ? 'Asia/Tokyo' : 'America/New_York';

interface PageInternals {
  range: {
    value: { start: Date | null; end: Date | null };
    setValue(v: { start: Date | null; end: Date | null }): void;
  };
  status: { setValue(v: string): void };
  rangeClosed(): void;
  filtersChanged(): void;
}

describe(`CallsListPage: days counted in the workspace zone (browser in ${RUNNER_ZONE})`, () => {
  let http: HttpTestingController;

  afterEach(() => http?.verify());

  /** Opens `url`, answering the tenant config with `zone` (an error when null). */
  async function open(url: string, zone: string | null = WS) {
    const opened = await openRoute(CallsListPage, url, {
      providers: [provideNoopAnimations(), provideNativeDateAdapter()],
    });
    http = opened.http;
    const { harness } = opened;
    const page = opened.component as unknown as PageInternals;
    for (const config of http.match('/api/v1/tenant/config')) {
      if (zone) config.flush({ timezone: zone });
      else config.flush({ message: 'nope' }, { status: 500, statusText: 'Server Error' });
    }
    answerRest();
    harness.detectChanges();
    await harness.fixture.whenStable();
    return { harness, page, router: TestBed.inject(Router) };
  }

  /** Answers the agents and calls requests; returns the calls list requests' params. */
  function answerRest(): { from: string | null; to: string | null; status: string | null }[] {
    const lists: { from: string | null; to: string | null; status: string | null }[] = [];
    for (const r of http.match(() => true)) {
      if (r.request.url === '/api/v1/calls') {
        const p = r.request.params;
        lists.push({ from: p.get('from'), to: p.get('to'), status: p.get('status') });
      }
      r.flush({ data: [], nextCursor: null });
    }
    return lists;
  }

  async function settle(harness: RouterTestingHarness) {
    await harness.fixture.whenStable();
    const lists = answerRest();
    harness.detectChanges();
    await harness.fixture.whenStable();
    return lists;
  }

  function urlParams(router: Router) {
    const q = router.parseUrl(router.url).queryParams;
    return { from: q['from'] ?? null, to: q['to'] ?? null };
  }

  function chip(harness: RouterTestingHarness): string {
    // the first button of the active filters: the date range
    const el = harness.routeNativeElement?.querySelector('[data-testid="active-filters"] button');
    return (el?.textContent ?? '').replace('close', '').trim();
  }

  it('picking 2026-11-27 filters on that whole workspace day', async () => {
    const { harness, page, router } = await open('/calls');
    const day = pickerDate('2026-11-27', RUNNER_ZONE);
    page.range.setValue({ start: day, end: day });
    page.rangeClosed();
    const [list] = await settle(harness);
    const expected = dayRange('2026-11-27', WS);
    if (WS === 'America/New_York') {
      expect(expected).toEqual({
        from: '2026-11-27T05:00:00.000Z',
        to: '2026-11-28T04:59:59.999Z',
      });
    }
    expect(urlParams(router)).toEqual(expected);
    expect({ from: list.from, to: list.to }).toEqual(expected);
    // the picker still shows the day picked, the chip names it
    const { start, end } = page.range.value;
    expect([dayKey(start as Date, RUNNER_ZONE), dayKey(end as Date, RUNNER_ZONE)]).toEqual([
      '2026-11-27',
      '2026-11-27',
    ]);
    expect(chip(harness)).toBe('Nov 27, 2026');
  });

  it('the dashboard link for a day shows that day in the picker and the chip', async () => {
    const { from, to } = dayRange('2026-11-27', WS);
    const { harness, page } = await open(
      `/calls?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    const { start, end } = page.range.value;
    expect([dayKey(start as Date, RUNNER_ZONE), dayKey(end as Date, RUNNER_ZONE)]).toEqual([
      '2026-11-27',
      '2026-11-27',
    ]);
    expect(chip(harness)).toBe('Nov 27, 2026');
  });

  it('a range of days: from the start of the first to the end of the last', async () => {
    const { harness, page, router } = await open('/calls');
    page.range.setValue({
      start: pickerDate('2026-11-21', RUNNER_ZONE),
      end: pickerDate('2026-11-27', RUNNER_ZONE),
    });
    page.rangeClosed();
    await settle(harness);
    expect(urlParams(router)).toEqual({
      from: dayRange('2026-11-21', WS).from,
      to: dayRange('2026-11-27', WS).to,
    });
    expect(chip(harness)).toBe('Nov 21, 2026 – Nov 27, 2026');
  });

  it('changing another filter keeps the range of the URL', async () => {
    const { from, to } = dayRange('2026-11-27', WS);
    const { harness, page, router } = await open(
      `/calls?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    page.status.setValue('completed');
    page.filtersChanged();
    const [list] = await settle(harness);
    expect(urlParams(router)).toEqual({ from, to });
    expect(list).toEqual({ from, to, status: 'completed' });
  });

  it('without the tenant config, days are counted in the browser zone', async () => {
    const { harness, page, router } = await open('/calls', null);
    const day = pickerDate('2026-11-27', RUNNER_ZONE);
    page.range.setValue({ start: day, end: day });
    page.rangeClosed();
    await settle(harness);
    expect(urlParams(router)).toEqual(dayRange('2026-11-27', RUNNER_ZONE));
    expect(chip(harness)).toBe('Nov 27, 2026');
  });
});
