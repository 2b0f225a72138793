import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { Router, RouterLink } from '@angular/router';
import type { CallStats } from '@acc/contracts';
import { Subscription, forkJoin } from 'rxjs';
import { CallsApi } from '../../core/api/calls.api';
import { apiErrorMessage } from '../../core/api-error';
import {
  addDays,
  dayKey,
  dayRange,
  daysBetween,
  endOfLocalDay,
  isValidTimeZone,
  startOfLocalDay,
} from '../../shared/dates';
import { DurationPipe, HumanizePipe, MoneyPipe, PercentPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { DayBar, DayChart } from './day-chart';

const PRESETS = [7, 30, 90] as const;

@Component({
  selector: 'app-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatDatepickerModule,
    MatFormFieldModule,
    DayChart,
    Loading,
    ErrorState,
    Empty,
    StatusChip,
    DurationPipe,
    PercentPipe,
    MoneyPipe,
    HumanizePipe,
  ],
  templateUrl: './dashboard.page.html',
  styleUrl: './dashboard.page.scss',
})
export class DashboardPage {
  private readonly callsApi = inject(CallsApi);
  private readonly router = inject(Router);
  private sub?: Subscription;

  protected readonly presets = PRESETS;
  protected readonly preset = signal<number | null>(30);
  protected readonly range = new FormGroup({
    start: new FormControl<Date | null>(startOfLocalDay(new Date(Date.now() - 29 * 864e5))),
    end: new FormControl<Date | null>(new Date()),
  });

  protected readonly stats = signal<CallStats | null>(null);
  protected readonly recent = signal<CallStats | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal('');

  protected readonly timezone = computed(() => {
    const tz = this.stats()?.timezone;
    return isValidTimeZone(tz) ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone;
  });

  /** Every day of the range, zero-filled where the API reported nothing. */
  protected readonly bars = computed<DayBar[]>(() => {
    const s = this.stats();
    if (!s) return [];
    const tz = this.timezone();
    const byDay = new Map(s.byDay.map((d) => [d.day.slice(0, 10), d]));
    const first = dayKey(new Date(s.from), tz);
    const last = dayKey(new Date(s.to), tz);
    const days = daysBetween(first, last);
    return (days.length ? days : [...byDay.keys()].sort()).map((day) => ({
      day,
      calls: byDay.get(day)?.calls ?? 0,
      connected: byDay.get(day)?.connected ?? 0,
    }));
  });

  protected readonly today = computed(() => {
    const r = this.recent();
    if (!r) return null;
    const tz = isValidTimeZone(r.timezone) ? r.timezone : undefined;
    const today = dayKey(new Date(), tz);
    const weekStart = addDays(today, -6);
    let day = 0;
    let week = 0;
    for (const d of r.byDay) {
      const k = d.day.slice(0, 10);
      if (k === today) day += d.calls;
      if (k >= weekStart && k <= today) week += d.calls;
    }
    return { day, week };
  });

  protected readonly outcomes = computed(() => {
    const rows = [...(this.stats()?.byOutcome ?? [])].sort((a, b) => b.count - a.count);
    const max = Math.max(1, ...rows.map((r) => r.count));
    return rows.map((r) => ({ ...r, pct: (r.count / max) * 100 }));
  });

  protected readonly statuses = computed(() =>
    [...(this.stats()?.byStatus ?? [])]
      .filter((s) => s.count > 0)
      .sort((a, b) => b.count - a.count),
  );

  protected readonly topAgents = computed(() =>
    [...(this.stats()?.byAgent ?? [])].sort((a, b) => b.calls - a.calls).slice(0, 8),
  );

  constructor() {
    this.load();
  }

  protected setPreset(days: number): void {
    this.preset.set(days);
    this.range.setValue({
      start: startOfLocalDay(new Date(Date.now() - (days - 1) * 864e5)),
      end: new Date(),
    });
    this.load();
  }

  protected rangeChanged(): void {
    const { start, end } = this.range.value;
    if (start && end) {
      this.preset.set(null);
      this.load();
    }
  }

  load(): void {
    const { start, end } = this.range.value;
    if (!start || !end) return;
    const from = startOfLocalDay(start).toISOString();
    const to = endOfLocalDay(end).toISOString();
    const weekFrom = startOfLocalDay(new Date(Date.now() - 7 * 864e5)).toISOString();
    this.loading.set(true);
    this.error.set('');
    this.sub?.unsubscribe();
    this.sub = forkJoin([
      this.callsApi.stats(from, to),
      this.callsApi.stats(weekFrom, endOfLocalDay(new Date()).toISOString()),
    ]).subscribe({
      next: ([stats, recent]) => {
        this.stats.set(stats);
        this.recent.set(recent);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  protected openDay(day: string): void {
    const { from, to } = dayRange(day, this.timezone());
    void this.router.navigate(['/calls'], { queryParams: { from, to } });
  }

  protected rangeQuery(): Record<string, string> {
    const s = this.stats();
    return s ? { from: s.from, to: s.to } : {};
  }
}
