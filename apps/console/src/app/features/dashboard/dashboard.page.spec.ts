import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { Router, provideRouter } from '@angular/router';
import type { CallStats } from '@acc/contracts';
import { WorkspaceZone } from '../../core/workspace-zone';
import { addDays, dayKey, zonedMidnight } from '../../shared/dates';
import { DashboardPage } from './dashboard.page';
import { openRoute } from '../../testing/route-harness';

/*
 * The workspace's zone: New York, unless the runner itself is in New York (Jest cannot move its
 * process to another zone), so the browser's and the workspace's zones always differ here.
 */
const RUNNER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const NY = RUNNER_ZONE === 'America/New_York' ? 'Asia/Tokyo' : 'America/New_York';

function stats(from: string, to: string, days: string[]): CallStats {
  return {
    from,
    to,
    timezone: NY,
    totals: {
      calls: days.length,
      connected: 0,
      connectRate: 0,
      avgDurationSeconds: 0,
      totalCost: 0,
    },
    byStatus: [],
    byOutcome: [],
    byAgent: [],
    byDay: days.map((day) => ({ day, calls: 1, connected: 0 })),
  };
}

interface PageInternals {
  setPreset(days: number): void;
  rangeChanged(): void;
  bars(): { day: string }[];
  openDay(day: string): void;
  range: {
    value: { start: Date | null; end: Date | null };
    setValue(v: { start: Date | null; end: Date | null }): void;
  };
  preset(): number | null;
}

/** The expected bounds, computed without the page: New York days from `first` to `last`. */
function nyBounds(first: string, last: string) {
  return {
    from: zonedMidnight(first, NY).toISOString(),
    to: new Date(zonedMidnight(addDays(last, 1), NY).getTime() - 1).toISOString(),
  };
}

describe('DashboardPage: days counted in the workspace time zone', () => {
  let http: HttpTestingController;

  afterEach(() => http?.verify());

  async function render() {
    TestBed.configureTestingModule({
      imports: [DashboardPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoopAnimations(),
        provideNativeDateAdapter(),
      ],
    });
    const fixture = TestBed.createComponent(DashboardPage);
    http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/v1/tenant/config').flush({ timezone: NY });
    await fixture.whenStable();
    return { fixture, page: fixture.componentInstance as unknown as PageInternals };
  }

  /** The three stats requests (range, last 7 days, the period before), answered as the API would. */
  function answerStats(): TestRequest[] {
    const reqs = http.match((r) => r.url === '/api/v1/calls/stats');
    expect(reqs).toHaveLength(3);
    for (const r of reqs) {
      const from = r.request.params.get('from') as string;
      const to = r.request.params.get('to') as string;
      const days: string[] = [];
      for (let d = dayKey(new Date(from), NY); d <= dayKey(new Date(to), NY); d = addDays(d, 1)) {
        days.push(d);
      }
      r.flush(stats(from, to, days));
    }
    return reqs;
  }

  it('starts the stats at once in the zone the shell read on entering the workspace', async () => {
    TestBed.configureTestingModule({
      imports: [DashboardPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoopAnimations(),
        provideNativeDateAdapter(),
      ],
    });
    TestBed.inject(WorkspaceZone).set(NY);
    const fixture = TestBed.createComponent(DashboardPage);
    http = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
    http.expectNone('/api/v1/tenant/config');
    const [range] = answerStats();
    const today = dayKey(new Date(), NY);
    expect(range.request.params.get('from')).toBe(nyBounds(addDays(today, -29), today).from);
  });

  it(`browser in ${RUNNER_ZONE}: "7 days" asks for 7 whole workspace days, 7 bars`, async () => {
    const { fixture, page } = await render();
    answerStats();
    page.setPreset(7);
    const today = dayKey(new Date(), NY);
    const [range] = answerStats();
    expect({
      from: range.request.params.get('from'),
      to: range.request.params.get('to'),
    }).toEqual(nyBounds(addDays(today, -6), today));
    await fixture.whenStable();
    expect(page.bars().map((b) => b.day)).toEqual(
      Array.from({ length: 7 }, (_, i) => addDays(today, i - 6)),
    );
    // the picker shows those same 7 days
    const { start, end } = page.range.value;
    expect([dayKey(start as Date), dayKey(end as Date)]).toEqual([addDays(today, -6), today]);
  });

  it(`browser in ${RUNNER_ZONE}: "30 days" charts 30 bars`, async () => {
    const { fixture, page } = await render();
    const [range] = answerStats();
    const today = dayKey(new Date(), NY);
    expect(range.request.params.get('from')).toBe(nyBounds(addDays(today, -29), today).from);
    await fixture.whenStable();
    expect(page.bars()).toHaveLength(30);
  });

  it('compares the range with as many workspace days just before it', async () => {
    const { fixture } = await render();
    const reqs = http.match((r) => r.url === '/api/v1/calls/stats');
    expect(reqs).toHaveLength(3);
    const today = dayKey(new Date(), NY);
    const [range, recent, before] = reqs;
    expect({
      from: before.request.params.get('from'),
      to: before.request.params.get('to'),
    }).toEqual(nyBounds(addDays(today, -59), addDays(today, -30)));
    const answer = (r: TestRequest, calls: number, connectRate: number) => {
      const s = stats(
        r.request.params.get('from') as string,
        r.request.params.get('to') as string,
        [],
      );
      r.flush({ ...s, totals: { ...s.totals, calls, connected: calls, connectRate } });
    };
    answer(range, 12, 0.5);
    answer(recent, 3, 0.5);
    answer(before, 10, 0.4);
    await fixture.whenStable();
    const text = (id: string) =>
      (fixture.nativeElement as HTMLElement)
        .querySelector(`[data-testid="${id}"]`)
        ?.textContent?.trim();
    expect(text('compare-calls')).toBe('+20% vs previous 30 days');
    expect(text('compare-connect-rate')).toBe('+10 pts vs previous 30 days');
  });

  it('a bar opens the calls of that workspace day', async () => {
    const { page } = await render();
    answerStats();
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    page.openDay('2026-11-27');
    expect(navigate).toHaveBeenCalledWith(['/calls'], {
      queryParams: nyBounds('2026-11-27', '2026-11-27'),
    });
  });

  describe('the range in the URL (kept on reload)', () => {
    async function open(url: string) {
      const opened = await openRoute(DashboardPage, url, {
        providers: [provideNoopAnimations(), provideNativeDateAdapter()],
      });
      http = opened.http;
      const { harness } = opened;
      const page = opened.component as unknown as PageInternals;
      http.expectOne('/api/v1/tenant/config').flush({ timezone: NY });
      await harness.fixture.whenStable();
      return { page, harness, router: TestBed.inject(Router) };
    }

    it('opens on the preset of the URL', async () => {
      const { page } = await open('/dashboard?days=90');
      const [range] = answerStats();
      const today = dayKey(new Date(), NY);
      expect(range.request.params.get('from')).toBe(nyBounds(addDays(today, -89), today).from);
      expect(page.preset()).toBe(90);
    });

    it('writes a picked preset to the URL', async () => {
      const { page, harness, router } = await open('/dashboard');
      answerStats();
      page.setPreset(90);
      answerStats();
      await harness.fixture.whenStable();
      expect(router.url).toBe('/dashboard?days=90');
    });

    it('opens on the days of the URL, counted in the workspace zone', async () => {
      const { page } = await open('/dashboard?from=2026-11-01&to=2026-11-10');
      const [range] = answerStats();
      expect({
        from: range.request.params.get('from'),
        to: range.request.params.get('to'),
      }).toEqual(nyBounds('2026-11-01', '2026-11-10'));
      expect(page.preset()).toBeNull();
    });

    it('writes picked days to the URL', async () => {
      const { page, harness, router } = await open('/dashboard');
      answerStats();
      page.range.setValue({ start: new Date(2026, 10, 1), end: new Date(2026, 10, 10) });
      page.rangeChanged();
      answerStats();
      await harness.fixture.whenStable();
      expect(router.url).toBe('/dashboard?from=2026-11-01&to=2026-11-10');
    });
  });
});
