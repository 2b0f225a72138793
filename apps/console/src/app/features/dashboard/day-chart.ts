import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  input,
  output,
  signal,
  viewChildren,
} from '@angular/core';
import { countTicks, labelledDays, longDay, shortDay } from './chart-scale';

export interface DayBar {
  day: string;
  calls: number;
  connected: number;
}

/** A day on which agent versions were saved (a mark over its bar), and which. */
export interface DayMark {
  day: string;
  label: string;
}

const HEIGHT = 200;
/** Room above the top tick, so the tallest bar does not touch the frame. */
const USABLE = HEIGHT - 4;
const STEP = 20;

/**
 * Calls per day as plain SVG bars over a y axis of call counts and an x axis of dates. A bar
 * is a button that opens that day's calls; the bars are one tab stop (a toolbar with a roving
 * tabindex): Left and Right move between days, Home and End to the first and last, and the
 * focused bar's name says its day and figures.
 */
@Component({
  selector: 'app-day-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart">
      <div class="y-axis" aria-hidden="true" data-testid="chart-y-axis">
        @for (t of ticks(); track t.value) {
          <span [style.top.px]="t.y">{{ t.value }}</span>
        }
      </div>
      <div class="scroll">
        <div class="area" [style.min-width.px]="bars().length * 8">
          <svg
            [attr.viewBox]="'0 0 ' + width() + ' ' + height"
            preserveAspectRatio="none"
            class="svg"
            role="toolbar"
            aria-label="Calls per day. Left and Right arrows move between days, Enter opens a day's calls"
          >
            @for (t of ticks(); track t.value) {
              <line class="grid" x1="0" [attr.x2]="width()" [attr.y1]="t.y" [attr.y2]="t.y" />
            }
            @for (b of geometry(); track b.day; let i = $index) {
              <g
                #bar
                class="bar"
                [attr.tabindex]="i === active() ? 0 : -1"
                role="button"
                data-testid="chart-bar"
                [attr.data-day]="b.day"
                [attr.aria-label]="b.label"
                (click)="open(i)"
                (focus)="activeDay.set(b.day)"
                (keydown)="onKey($event)"
                (keydown.enter)="open(i)"
                (keydown.space)="$event.preventDefault(); open(i)"
              >
                <title>{{ b.label }}</title>
                <rect
                  class="hit"
                  [attr.x]="b.x - 3"
                  y="0"
                  [attr.width]="step"
                  [attr.height]="height"
                />
                <rect
                  class="total"
                  [attr.x]="b.x"
                  [attr.y]="b.y"
                  [attr.width]="b.w"
                  [attr.height]="b.h"
                />
                <rect
                  class="connected"
                  [attr.x]="b.x"
                  [attr.y]="b.cy"
                  [attr.width]="b.w"
                  [attr.height]="b.ch"
                />
              </g>
            }
            @for (m of markGeometry(); track m.day) {
              <g class="mark" data-testid="chart-version-mark" [attr.data-day]="m.day">
                <title>{{ m.label }}</title>
                <line [attr.x1]="m.x" [attr.x2]="m.x" y1="0" [attr.y2]="height" />
                <polygon [attr.points]="m.points" />
              </g>
            }
          </svg>
          <div class="x-axis" aria-hidden="true" data-testid="chart-x-axis">
            @for (l of dayLabels(); track l.day) {
              <span [style.left.%]="l.at">{{ l.text }}</span>
            }
          </div>
        </div>
      </div>
    </div>
    <div class="legend">
      <span><i class="sw total"></i>Calls</span>
      <span><i class="sw connected"></i>Connected</span>
      @if (markGeometry().length) {
        <span><i class="sw mark"></i>Agent version saved</span>
      }
    </div>
  `,
  styles: `
    .chart {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      gap: 6px;
    }
    .y-axis {
      position: relative;
      height: ${HEIGHT}px;
      min-width: 2ch;
    }
    .y-axis span,
    .x-axis span {
      position: absolute;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
    }
    .y-axis span {
      right: 0;
      transform: translateY(-50%);
    }
    .scroll {
      overflow-x: auto;
    }
    .area {
      position: relative;
    }
    .svg {
      display: block;
      width: 100%;
      height: ${HEIGHT}px;
      overflow: visible;
    }
    .x-axis {
      position: relative;
      height: 20px;
      margin-top: 4px;
    }
    .x-axis span {
      transform: translateX(-50%);
    }
    .x-axis span:first-child {
      transform: none;
    }
    .x-axis span:last-child {
      transform: translateX(-100%);
    }
    .grid {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
    }
    .hit {
      fill: transparent;
    }
    .total {
      fill: var(--mat-sys-primary);
      opacity: 0.35;
    }
    .connected {
      fill: var(--mat-sys-primary);
    }
    .bar {
      cursor: pointer;
    }
    /* inside its slot: the scroll box would clip a ring drawn outside */
    .bar:focus-visible {
      outline-offset: -2px;
    }
    .bar:hover .total,
    .bar:focus .total {
      opacity: 0.6;
    }
    .bar:hover .hit,
    .bar:focus .hit {
      fill: var(--mat-sys-surface-container-high);
    }
    .legend {
      display: flex;
      gap: 16px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin-top: 4px;
    }
    .sw {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
      margin-right: 6px;
      background: var(--mat-sys-primary);
    }
    .sw.total {
      opacity: 0.35;
    }
    .mark line {
      stroke: var(--mat-sys-tertiary);
      stroke-width: 2;
      stroke-dasharray: 4 3;
      vector-effect: non-scaling-stroke;
    }
    .mark polygon,
    .sw.mark {
      fill: var(--mat-sys-tertiary);
      background: var(--mat-sys-tertiary);
    }
  `,
})
export class DayChart {
  readonly bars = input.required<DayBar[]>();
  /** Agent versions saved in the range (GET /calls/stats?groupBy=agentVersion). */
  readonly marks = input<DayMark[]>([]);
  readonly pick = output<string>();
  protected readonly height = HEIGHT;
  protected readonly step = STEP;
  private readonly barRefs = viewChildren<ElementRef<SVGGElement>>('bar');

  /** The day the keyboard is on (the bar that takes Tab); the last day until one is chosen. */
  protected readonly activeDay = signal<string | null>(null);
  protected readonly active = computed(() => {
    const i = this.bars().findIndex((b) => b.day === this.activeDay());
    return i >= 0 ? i : this.bars().length - 1;
  });

  protected readonly width = computed(() => Math.max(1, this.bars().length) * STEP);
  private readonly scale = computed(() =>
    countTicks(Math.max(0, ...this.bars().map((b) => b.calls))),
  );
  protected readonly ticks = computed(() => {
    const ticks = this.scale();
    const top = ticks[ticks.length - 1];
    return ticks.map((value) => ({ value, y: HEIGHT - (value / top) * USABLE }));
  });
  protected readonly dayLabels = computed(() => {
    const bars = this.bars();
    return labelledDays(bars.length).map((i) => ({
      day: bars[i].day,
      text: shortDay(bars[i].day),
      at: ((i + 0.5) / bars.length) * 100,
    }));
  });

  protected readonly geometry = computed(() => {
    const ticks = this.scale();
    const top = ticks[ticks.length - 1];
    const saved = new Map(this.marks().map((m) => [m.day, m.label]));
    return this.bars().map((b, i) => {
      const h = b.calls ? Math.max(2, (b.calls / top) * USABLE) : 0;
      const ch = b.connected ? Math.max(2, (b.connected / top) * USABLE) : 0;
      const mark = saved.get(b.day);
      return {
        day: b.day,
        x: i * STEP + 3,
        w: STEP - 6,
        y: HEIGHT - h,
        h,
        cy: HEIGHT - ch,
        ch,
        label:
          `${longDay(b.day)}: ${plural(b.calls, 'call')}, ${b.connected} connected` +
          (mark ? `. ${mark}` : ''),
      };
    });
  });

  protected readonly markGeometry = computed(() => {
    const at = new Map(this.bars().map((b, i) => [b.day, i]));
    return this.marks().flatMap((m) => {
      const i = at.get(m.day);
      if (i === undefined) return [];
      const x = i * STEP + STEP / 2;
      const label = `${shortDay(m.day)}: ${m.label}`;
      return [{ day: m.day, label, x, points: `${x - 5},0 ${x + 5},0 ${x},7` }];
    });
  });

  protected open(i: number): void {
    const day = this.bars()[i].day;
    this.activeDay.set(day);
    this.pick.emit(day);
  }

  protected onKey(e: KeyboardEvent): void {
    const last = this.bars().length - 1;
    const moves: Record<string, number> = {
      ArrowRight: Math.min(last, this.active() + 1),
      ArrowLeft: Math.max(0, this.active() - 1),
      Home: 0,
      End: last,
    };
    const to = moves[e.key];
    if (to === undefined || last < 0) return;
    e.preventDefault();
    this.activeDay.set(this.bars()[to].day);
    this.barRefs()[to]?.nativeElement.focus();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
