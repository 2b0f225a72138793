import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { ActivatedRoute, Params, Router, RouterLink } from '@angular/router';
import type { CallStats } from '@acc/contracts';
import { Subscription, forkJoin } from 'rxjs';
import { CallsApi } from '../../core/api/calls.api';
import { TenantsApi } from '../../core/api/tenants.api';
import { AuthStore } from '../../core/auth.store';
import { apiErrorMessage } from '../../core/api-error';
import { WorkspaceZone } from '../../core/workspace-zone';
import { addDays, dayKey, dayRange, daysBetween, isValidTimeZone } from '../../shared/dates';
import { lastDays, pickerDate, pickerDay, zonedRange } from '../../shared/zoned-days';
import { DurationPipe, HumanizePipe, MoneyPipe, PercentPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { DayBar, DayChart, DayMark } from './day-chart';
import { comparePeriods, previousPeriod } from './period-comparison';
import { SetupChecklist } from './setup-checklist';

const PRESETS = [7, 30, 90] as const;
const DEFAULT_PRESET = 30;
const isPreset = (n: number) => (PRESETS as readonly number[]).includes(n);
const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v);
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The range is kept in the URL so reload keeps it: `days=7|30|90` for a preset (30 when absent),
 * or `from`/`to` as the picked days (YYYY-MM-DD), which are counted in the workspace's zone.
 */
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
    SetupChecklist,
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
  private readonly tenantsApi = inject(TenantsApi);
  protected readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private sub?: Subscription;

  /**
   * The workspace's time zone (Settings), in which the picked days are counted and the stats
   * count their days: null until GET /tenant/config answers.
   */
  private readonly zone = signal<string | null>(null);

  protected readonly presets = PRESETS;
  protected readonly preset = signal<number | null>(DEFAULT_PRESET);
  protected readonly range = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });

  protected readonly stats = signal<CallStats | null>(null);
  protected readonly recent = signal<CallStats | null>(null);
  /** The same number of days just before the range, and how many. */
  private readonly previous = signal<{ stats: CallStats; days: number } | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal('');

  protected readonly timezone = computed(() => {
    const tz = this.stats()?.timezone;
    return isValidTimeZone(tz) ? tz : this.rangeZone();
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
    const tz = isValidTimeZone(r.timezone) ? r.timezone : this.rangeZone();
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

  /** The headline figures against the previous period of the same length. */
  protected readonly comparison = computed(() => {
    const s = this.stats();
    const p = this.previous();
    return s && p ? comparePeriods(s.totals, p.stats.totals, p.days) : null;
  });

  /** The agent versions saved in the range, one mark per day over the chart. */
  protected readonly marks = computed<DayMark[]>(() => {
    const s = this.stats();
    if (!s?.versionChanges?.length) return [];
    const tz = this.timezone();
    const byDay = new Map<string, string[]>();
    for (const v of s.versionChanges) {
      const day = dayKey(new Date(v.at), tz);
      byDay.set(day, [...(byDay.get(day) ?? []), `${v.agentName} v${v.version}`]);
    }
    return [...byDay].map(([day, names]) => ({
      day,
      label: `agent versions saved: ${names.join(', ')}`,
    }));
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
    this.readUrl();
    const known = inject(WorkspaceZone).known();
    if (known) {
      // read on entering the workspace (the shell): the stats start now, not after one more
      // request; their answer names the zone, which corrects the range if it changed since
      this.useZone(known);
      return;
    }
    this.tenantsApi.getConfig().subscribe({
      next: (c) => this.useZone(isValidTimeZone(c.timezone) ? c.timezone : browserZone()),
      // the stats answer names the zone too: the first one corrects the range if need be
      error: () => this.useZone(browserZone()),
    });
  }

  private readUrl(): void {
    const p = this.route.snapshot.queryParamMap;
    const from = p.get('from');
    const to = p.get('to');
    if (isDay(from) && isDay(to) && from <= to) {
      this.preset.set(null);
      this.range.setValue({ start: pickerDate(from), end: pickerDate(to) });
    } else {
      const days = Number(p.get('days'));
      this.preset.set(isPreset(days) ? days : DEFAULT_PRESET);
    }
  }

  /** Replaces the history entry: Back leaves the dashboard rather than stepping through ranges. */
  private writeUrl(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, replaceUrl: true });
  }

  /** The zone the range is counted in: the workspace's once known. */
  private rangeZone(): string {
    return this.zone() ?? browserZone();
  }

  private useZone(tz: string): void {
    this.zone.set(tz);
    const days = this.preset();
    if (days) this.range.setValue(lastDays(days, tz));
    this.load();
  }

  protected setPreset(days: number): void {
    this.preset.set(days);
    this.range.setValue(lastDays(days, this.rangeZone()));
    this.writeUrl({ days: days === DEFAULT_PRESET ? null : days });
    this.load();
  }

  protected rangeChanged(): void {
    const { start, end } = this.range.value;
    if (start && end) {
      this.preset.set(null);
      this.writeUrl({ from: pickerDay(start), to: pickerDay(end) });
      this.load();
    }
  }

  load(): void {
    const { start, end } = this.range.value;
    if (!start || !end) return;
    const tz = this.rangeZone();
    const { from, to } = zonedRange(start, end, tz);
    const week = lastDays(7, tz);
    const recentRange = zonedRange(week.start, week.end, tz);
    const before = previousPeriod(pickerDay(start), pickerDay(end));
    const beforeRange = zonedRange(pickerDate(before.first), pickerDate(before.last), tz);
    const days = daysBetween(before.first, before.last).length;
    this.loading.set(true);
    this.error.set('');
    this.sub?.unsubscribe();
    this.sub = forkJoin([
      this.callsApi.stats(from, to, { groupBy: 'agentVersion' }),
      this.callsApi.stats(recentRange.from, recentRange.to),
      this.callsApi.stats(beforeRange.from, beforeRange.to),
    ]).subscribe({
      next: ([stats, recent, previous]) => {
        // the workspace's zone changed since it was read: count the days again in the new one
        if (isValidTimeZone(stats.timezone) && stats.timezone !== tz) {
          this.useZone(stats.timezone);
          return;
        }
        this.stats.set(stats);
        this.recent.set(recent);
        this.previous.set({ stats: previous, days });
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
