import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import type { Sort as HeaderSort } from '@angular/material/sort';
import { ActivatedRoute, Params, Router } from '@angular/router';
import {
  CALL_DIRECTIONS,
  CALL_STATUSES,
  CallDirection,
  CallSort,
  CallSortKey,
  CallStatus,
  CallSummary,
} from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { CallQuery, CallsApi } from '../../core/api/calls.api';
import { TenantsApi } from '../../core/api/tenants.api';
import { isValidTimeZone } from '../../shared/dates';
import { describeRange, pickerDay, pickerRange, zonedRange } from '../../shared/zoned-days';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { ListSort } from '../../shared/list-sort';
import { ListTotal } from '../../shared/list-total';
import { SortOption, SortSelect } from '../../shared/sort-select';
import { LoadMore } from '../../shared/load-more';
import { HumanizePipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { CallsTable } from './calls-table';

const isStatus = (v: string | null): v is CallStatus =>
  !!v && (CALL_STATUSES as readonly string[]).includes(v);
const isDirection = (v: string | null): v is CallDirection =>
  !!v && (CALL_DIRECTIONS as readonly string[]).includes(v);
const isoOrUndefined = (v: string | null): string | undefined =>
  v && !Number.isNaN(Date.parse(v)) ? v : undefined;
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The URL is the filter state (so the dashboard can link to "calls on this day" and a filtered
 * view can be shared); form edits rewrite the URL, and URL changes reload the list.
 *
 * The date range is whole days counted in the workspace's time zone (Settings; the dashboard and
 * the stats count days in it too), whatever the browser's: `from` is the start of the first
 * picked day there, `to` the last millisecond of the last one.
 */
@Component({
  selector: 'app-calls-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    Icon,
    Loading,
    Empty,
    ErrorState,
    CallsTable,
    ListTotal,
    SortSelect,
    LoadMore,
    HumanizePipe,
  ],
  templateUrl: './calls-list.page.html',
})
export class CallsListPage {
  private readonly api = inject(CallsApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly tenantsApi = inject(TenantsApi);
  protected readonly directory = inject(AgentDirectory);

  protected readonly statuses = CALL_STATUSES;
  protected readonly directions = CALL_DIRECTIONS;
  protected readonly status = new FormControl<CallStatus | ''>('', { nonNullable: true });
  protected readonly direction = new FormControl<CallDirection | ''>('', { nonNullable: true });
  protected readonly agentId = new FormControl('', { nonNullable: true });
  protected readonly range = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  protected readonly query = signal<CallQuery>({});

  /** The order, in the URL with the filters; the table's sort headers change it. */
  private readonly sorting = new ListSort<CallSortKey>({
    when: 'createdAt',
    status: 'status',
    duration: 'duration',
  });
  protected readonly sort = computed(() => this.query().sort ?? this.sorting.parse(null));
  protected readonly sortHeader = computed(() => this.sorting.header(this.sort()));
  protected readonly sortOptions: Array<SortOption<CallSort>> = [
    { value: '-createdAt', label: 'Newest first' },
    { value: 'createdAt', label: 'Oldest first' },
    { value: '-duration', label: 'Longest first' },
    { value: 'duration', label: 'Shortest first' },
    { value: 'status', label: 'Status, A to Z' },
    { value: '-status', label: 'Status, Z to A' },
  ];

  /** The workspace's time zone: null until GET /tenant/config answers (the browser's meanwhile). */
  private readonly zone = signal<string | null>(null);
  private readonly rangeZone = computed(() => this.zone() ?? browserZone());

  /** The date filter as days in the workspace's zone ("Nov 27, 2026"), else as times there. */
  protected readonly rangeLabel = computed(() => {
    const { from, to } = this.query();
    return from || to ? describeRange(from, to, this.rangeZone()) : '';
  });

  protected readonly list = new KeysetList<CallSummary>((cursor) =>
    this.api.list({ ...this.query(), cursor }),
  );

  constructor() {
    this.directory.ensure();
    this.tenantsApi.getConfig().subscribe({
      next: (c) => this.useZone(isValidTimeZone(c.timezone) ? c.timezone : browserZone()),
      error: () => this.useZone(browserZone()),
    });
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((p) => {
      const q: CallQuery = {
        status: isStatus(p.get('status')) ? (p.get('status') as CallStatus) : undefined,
        direction: isDirection(p.get('direction'))
          ? (p.get('direction') as CallDirection)
          : undefined,
        agentId: p.get('agentId') ?? undefined,
        leadId: p.get('leadId') ?? undefined,
        from: isoOrUndefined(p.get('from')),
        to: isoOrUndefined(p.get('to')),
        sort: this.sorting.parse(p.get('sort')),
      };
      this.query.set(q);
      this.status.setValue(q.status ?? '', { emitEvent: false });
      this.direction.setValue(q.direction ?? '', { emitEvent: false });
      this.agentId.setValue(q.agentId ?? '', { emitEvent: false });
      this.showRange();
      this.list.reload();
    });
  }

  private useZone(tz: string): void {
    this.zone.set(tz);
    this.showRange();
  }

  /** The picker shows the URL's range by its days in the workspace's zone. */
  private showRange(): void {
    const { from, to } = this.query();
    this.range.setValue(pickerRange(from, to, this.rangeZone()), { emitEvent: false });
  }

  /** The URL's bounds for the picked days (kept as they are while the picker shows their days). */
  private rangeParams(): { from: string | null; to: string | null } {
    const { start, end } = this.range.value;
    if (!start) return { from: null, to: null };
    const tz = this.rangeZone();
    const { from, to } = this.query();
    const shown = pickerRange(from, to, tz);
    const same = (a: Date | null | undefined, b: Date | null) =>
      !!a && !!b && pickerDay(a) === pickerDay(b);
    if (from && to && same(start, shown.start) && same(end ?? start, shown.end)) {
      return { from, to };
    }
    return zonedRange(start, end, tz);
  }

  protected filtersChanged(): void {
    this.navigate({
      status: this.status.value || null,
      direction: this.direction.value || null,
      agentId: this.agentId.value || null,
      ...this.rangeParams(),
    });
  }

  protected rangeClosed(): void {
    const { start, end } = this.range.value;
    if (start && end) this.filtersChanged();
  }

  protected sortChanged(header: HeaderSort): void {
    this.setSort(this.sorting.fromHeader(header));
  }

  /** A new order starts again from the first page (the URL change reloads). */
  protected setSort(sort: CallSort): void {
    this.navigate({ sort: this.sorting.param(sort) });
  }

  protected clear(key?: keyof CallQuery): void {
    if (key) {
      this.navigate(key === 'from' ? { from: null, to: null } : { [key]: null });
    } else {
      const sort = this.query().sort;
      void this.router.navigate([], {
        relativeTo: this.route,
        queryParams: { sort: sort ? this.sorting.param(sort) : null },
      });
    }
  }

  private navigate(params: Params): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: params,
      queryParamsHandling: 'merge',
    });
  }

  protected filtered(): boolean {
    // the order is not a filter
    return Object.entries(this.query()).some(([k, v]) => k !== 'sort' && !!v);
  }
}
