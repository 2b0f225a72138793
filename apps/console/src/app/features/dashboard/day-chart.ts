import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

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

/** Calls per day as plain SVG bars; a bar is a button that opens that day's calls. */
@Component({
  selector: 'app-day-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart" role="group" aria-label="Calls per day">
      <svg
        [attr.viewBox]="'0 0 ' + width() + ' ' + height"
        preserveAspectRatio="none"
        class="svg"
        [style.min-width.px]="bars().length * 10"
      >
        @for (g of grid(); track g.y) {
          <line class="grid" x1="0" [attr.x2]="width()" [attr.y1]="g.y" [attr.y2]="g.y" />
        }
        @for (b of geometry(); track b.day) {
          <g
            class="bar"
            tabindex="0"
            role="button"
            data-testid="chart-bar"
            [attr.data-day]="b.day"
            [attr.aria-label]="b.label"
            (click)="pick.emit(b.day)"
            (keydown.enter)="pick.emit(b.day)"
            (keydown.space)="pick.emit(b.day)"
          >
            <title>{{ b.label }}</title>
            <rect class="hit" [attr.x]="b.x" y="0" [attr.width]="b.w" [attr.height]="height" />
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
      <div class="axis">
        <span>{{ bars()[0]?.day }}</span>
        <span class="max">max {{ max() }} / day</span>
        <span>{{ bars()[bars().length - 1]?.day }}</span>
      </div>
      <div class="legend">
        <span><i class="sw total"></i>Calls</span>
        <span><i class="sw connected"></i>Connected</span>
        @if (markGeometry().length) {
          <span><i class="sw mark"></i>Agent version saved</span>
        }
      </div>
    </div>
  `,
  styles: `
    .chart {
      overflow-x: auto;
    }
    .svg {
      display: block;
      width: 100%;
      height: 200px;
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
      outline: none;
    }
    .bar:hover .total,
    .bar:focus .total {
      opacity: 0.6;
    }
    .bar:hover .hit,
    .bar:focus .hit {
      fill: var(--mat-sys-surface-container-high);
    }
    .axis,
    .legend {
      display: flex;
      justify-content: space-between;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin-top: 4px;
    }
    .legend {
      justify-content: flex-start;
      gap: 16px;
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
  protected readonly height = 200;
  protected readonly width = computed(() => Math.max(1, this.bars().length) * 20);
  protected readonly max = computed(() => Math.max(1, ...this.bars().map((b) => b.calls)));
  protected readonly grid = computed(() =>
    [0.25, 0.5, 0.75].map((f) => ({ y: Math.round(this.height * f) })),
  );
  protected readonly geometry = computed(() => {
    const max = this.max();
    const usable = this.height - 4;
    return this.bars().map((b, i) => {
      const h = b.calls ? Math.max(2, (b.calls / max) * usable) : 0;
      const ch = b.connected ? Math.max(2, (b.connected / max) * usable) : 0;
      return {
        day: b.day,
        x: i * 20 + 3,
        w: 14,
        y: this.height - h,
        h,
        cy: this.height - ch,
        ch,
        label: `${b.day}: ${b.calls} calls, ${b.connected} connected`,
      };
    });
  });

  protected readonly markGeometry = computed(() => {
    const at = new Map(this.bars().map((b, i) => [b.day, i]));
    return this.marks().flatMap((m) => {
      const i = at.get(m.day);
      if (i === undefined) return [];
      const x = i * 20 + 10;
      return [{ day: m.day, label: m.label, x, points: `${x - 5},0 ${x + 5},0 ${x},7` }];
    });
  });
}
