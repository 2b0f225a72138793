import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DayBar, DayChart, DayMark } from './day-chart';

@Component({
  imports: [DayChart],
  template: `<app-day-chart [bars]="bars()" [marks]="marks()" (pick)="picked.push($event)" />`,
})
class Host {
  readonly bars = signal<DayBar[]>([
    { day: '2026-11-25', calls: 3, connected: 1 },
    { day: '2026-11-26', calls: 12, connected: 5 },
    { day: '2026-11-27', calls: 0, connected: 0 },
  ]);
  readonly marks = signal<DayMark[]>([
    { day: '2026-11-26', label: 'agent versions saved: Ava v2' },
  ]);
  readonly picked: string[] = [];
}

async function render() {
  const fixture = TestBed.createComponent(Host);
  document.body.appendChild(fixture.nativeElement);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const bars = () => [...el.querySelectorAll<SVGGElement>('[data-testid="chart-bar"]')];
  const press = async (key: string) => {
    (document.activeElement as Element).dispatchEvent(
      new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }),
    );
    await fixture.whenStable();
  };
  return { fixture, el, bars, press, host: fixture.componentInstance };
}

describe('DayChart', () => {
  afterEach(() => document.body.replaceChildren());

  it('is one tab stop: only the last day takes Tab at first', async () => {
    const { bars } = await render();
    expect(bars().map((b) => b.getAttribute('tabindex'))).toEqual(['-1', '-1', '0']);
  });

  it('moves between days with Left, Right, Home and End, the focused day taking Tab', async () => {
    const { bars, press } = await render();
    bars()[2].focus();
    await press('ArrowLeft');
    expect(document.activeElement).toBe(bars()[1]);
    expect(bars().map((b) => b.getAttribute('tabindex'))).toEqual(['-1', '0', '-1']);
    await press('Home');
    expect(document.activeElement).toBe(bars()[0]);
    await press('ArrowLeft');
    expect(document.activeElement).toBe(bars()[0]);
    await press('End');
    expect(document.activeElement).toBe(bars()[2]);
    await press('ArrowRight');
    expect(document.activeElement).toBe(bars()[2]);
    expect(bars().map((b) => b.getAttribute('tabindex'))).toEqual(['-1', '-1', '0']);
  });

  it('names each day with its figures and the versions saved on it; Enter opens it', async () => {
    const { bars, press, host } = await render();
    expect(bars().map((b) => b.getAttribute('aria-label'))).toEqual([
      'Wednesday, Nov 25, 2026: 3 calls, 1 connected',
      'Thursday, Nov 26, 2026: 12 calls, 5 connected. agent versions saved: Ava v2',
      'Friday, Nov 27, 2026: 0 calls, 0 connected',
    ]);
    bars()[2].focus();
    await press('ArrowLeft');
    await press('Enter');
    expect(host.picked).toEqual(['2026-11-26']);
  });

  it('has a y axis of call counts up to the tallest day and dates under the bars', async () => {
    const { el } = await render();
    const text = (id: string) =>
      [...el.querySelectorAll(`[data-testid="${id}"] span`)].map((s) => s.textContent?.trim());
    expect(text('chart-y-axis')).toEqual(['0', '5', '10', '15']);
    expect(text('chart-x-axis')).toEqual(['Nov 25', 'Nov 26', 'Nov 27']);
    expect(el.querySelectorAll('[data-testid="chart-version-mark"]')).toHaveLength(1);
  });
});
