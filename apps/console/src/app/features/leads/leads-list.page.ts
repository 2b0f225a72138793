import { SelectionModel } from '@angular/cdk/collections';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { type Sort as HeaderSort, MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { Lead, LeadSort, LeadSortKey, LeadStatus } from '@acc/contracts';
import { DEFAULT_SORT, LEAD_STATUSES } from '@acc/contracts';
import { Observable, catchError, from, map, merge, mergeMap, of, toArray } from 'rxjs';
import { AgentDirectory } from '../../core/agent-directory';
import { type LeadFilters, LeadsApi } from '../../core/api/leads.api';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { FORM_DIALOG } from '../../core/unsaved-changes';
import { Confirm } from '../../shared/confirm-dialog';
import { leadName } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { KeysetList, typedFilter } from '../../shared/keyset-list';
import { ListSort } from '../../shared/list-sort';
import { ListTotal } from '../../shared/list-total';
import { SortOption, SortSelect } from '../../shared/sort-select';
import { LoadMore } from '../../shared/load-more';
import { HumanizePipe, PhonePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { saveBlob } from './download';
import { ImportDialog } from './import.dialog';
import { LeadFormDialog } from './lead-form.dialog';

/** How many PATCH/DELETE requests a bulk action keeps in flight. */
const BULK_CONCURRENCY = 4;

const leads = (n: number) => `${n} lead${n === 1 ? '' : 's'}`;
const isStatus = (v: string | null): v is LeadStatus =>
  !!v && (LEAD_STATUSES as readonly string[]).includes(v);

/**
 * The URL is the filter state (like the calls list), so Back and reload keep the search:
 * filter edits rewrite the URL, and URL changes reload the list.
 */
@Component({
  selector: 'app-leads-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PhonePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSortModule,
    MatTableModule,
    Icon,
    ListTotal,
    SortSelect,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    LoadMore,
    HumanizePipe,
    WhenPipe,
  ],
  templateUrl: './leads-list.page.html',
  styleUrl: './leads-list.page.scss',
})
export class LeadsListPage {
  private readonly api = inject(LeadsApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  private readonly route = inject(ActivatedRoute);
  protected readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);
  protected readonly directory = inject(AgentDirectory);

  protected readonly statuses = LEAD_STATUSES;
  protected readonly leadName = leadName;
  protected readonly q = new FormControl('', { nonNullable: true });
  protected readonly status = new FormControl<LeadStatus | ''>('', { nonNullable: true });
  protected readonly agentId = new FormControl('', { nonNullable: true });
  protected readonly tag = new FormControl('', { nonNullable: true });

  /** The order, from the URL like the filters; the table's sort headers change it. */
  private readonly sorting = new ListSort<LeadSortKey>({
    name: 'name',
    status: 'status',
    created: 'createdAt',
  });
  protected readonly sort = signal<LeadSort>(DEFAULT_SORT);
  protected readonly sortOptions: Array<SortOption<LeadSort>> = [
    { value: '-createdAt', label: 'Newest first' },
    { value: 'createdAt', label: 'Oldest first' },
    { value: 'name', label: 'Name, A to Z' },
    { value: '-name', label: 'Name, Z to A' },
    { value: 'status', label: 'Status, A to Z' },
    { value: '-status', label: 'Status, Z to A' },
  ];
  protected readonly sortHeader = computed(() => this.sorting.header(this.sort()));

  protected readonly selection = new SelectionModel<string>(true, []);
  protected readonly selected = signal<string[]>([]);
  protected readonly selectedIds = computed(() => new Set(this.selected()));
  protected readonly bulkBusy = signal(false);
  protected readonly exporting = signal(false);

  protected readonly columns = computed(() => {
    const base = [
      'name',
      'phone',
      'company',
      'status',
      'agent',
      'tags',
      'lastContacted',
      'created',
    ];
    return this.auth.canWrite() ? ['select', ...base] : base;
  });

  protected readonly list = new KeysetList<Lead>((cursor) =>
    this.api.list({ ...this.filters(), sort: this.sort(), cursor }),
  );

  protected readonly allSelected = computed(
    () => this.list.items().length > 0 && this.selected().length === this.list.items().length,
  );

  constructor() {
    this.directory.ensure();
    this.selection.changed
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.selected.set([...this.selection.selected]));
    merge(
      typedFilter(this.q),
      typedFilter(this.tag),
      this.status.valueChanges,
      this.agentId.valueChanges,
    )
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.filtersChanged());
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((p) => {
      const status = p.get('status');
      this.q.setValue(p.get('q') ?? '', { emitEvent: false });
      this.status.setValue(isStatus(status) ? status : '', { emitEvent: false });
      this.agentId.setValue(p.get('agentId') ?? '', { emitEvent: false });
      this.tag.setValue(p.get('tag') ?? '', { emitEvent: false });
      this.sort.set(this.sorting.parse(p.get('sort')));
      this.reload();
    });
  }

  /** Replaces the history entry: Back leaves the list rather than stepping through searches. */
  private filtersChanged(): void {
    const { q, status, agentId, tag } = this.filters();
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: {
        q: q || null,
        status: status || null,
        agentId: agentId || null,
        tag: tag || null,
        sort: this.sorting.param(this.sort()),
      },
      replaceUrl: true,
    });
  }

  protected sortChanged(header: HeaderSort): void {
    this.setSort(this.sorting.fromHeader(header));
  }

  /** A new order starts again from the first page (the URL change reloads). */
  protected setSort(sort: LeadSort): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { sort: this.sorting.param(sort) },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected reload(): void {
    this.selection.clear();
    this.list.reload();
  }

  /** The filters on screen, shared by the list and the export. */
  private filters(): LeadFilters {
    return {
      q: this.q.value.trim(),
      status: this.status.value,
      agentId: this.agentId.value,
      tag: this.tag.value.trim().toLowerCase(),
    };
  }

  protected filtered(): boolean {
    return !!(
      this.q.value.trim() ||
      this.status.value ||
      this.agentId.value ||
      this.tag.value.trim()
    );
  }

  /** The export writes what the list shows: it says so. */
  protected exportLabel(): string {
    if (this.exporting()) return 'Exporting…';
    return this.filtered() ? 'Export filtered leads' : 'Export all leads';
  }

  protected clearFilters(): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { sort: this.sorting.param(this.sort()) },
    });
  }

  protected toggleAll(): void {
    if (this.allSelected()) this.selection.clear();
    else this.selection.select(...this.list.items().map((l) => l.id));
  }

  protected openCreate(): void {
    this.dialog
      .open(LeadFormDialog, { ...FORM_DIALOG, data: null, width: '640px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((lead?: Lead) => {
        if (!lead) return;
        this.list.prepend(lead);
        this.notifier.success('Lead created');
      });
  }

  protected openImport(): void {
    this.dialog
      .open(ImportDialog, { width: '640px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe(() => this.reload());
  }

  protected exportCsv(): void {
    this.exporting.set(true);
    this.api.exportCsv(this.filters()).subscribe({
      next: (blob) => {
        this.exporting.set(false);
        saveBlob(blob, `leads-${new Date().toISOString().slice(0, 10)}.csv`);
      },
      error: () => this.exporting.set(false),
    });
  }

  /** Runs one request per selected lead, a few at a time; reports how many failed. */
  private bulk(
    action: (id: string) => Observable<unknown>,
    done: (okIds: string[]) => void,
    verb: 'updated' | 'deleted',
  ): void {
    const ids = [...this.selection.selected];
    if (!ids.length) return;
    this.bulkBusy.set(true);
    from(ids)
      .pipe(
        mergeMap(
          (id) =>
            action(id).pipe(
              map(() => ({ id, ok: true })),
              catchError(() => of({ id, ok: false })),
            ),
          BULK_CONCURRENCY,
        ),
        toArray(),
      )
      .subscribe((results) => {
        this.bulkBusy.set(false);
        const okIds = results.filter((r) => r.ok).map((r) => r.id);
        const failed = results.length - okIds.length;
        this.selection.deselect(...okIds);
        done(okIds);
        if (failed)
          this.notifier.error(`${failed} of ${leads(results.length)} could not be ${verb}`);
        else this.notifier.success(`${leads(okIds.length)} ${verb}`);
      });
  }

  protected bulkStatus(status: LeadStatus): void {
    const updated = new Map<string, Lead>();
    this.bulk(
      (id) => this.api.update(id, { status }).pipe(map((l) => updated.set(id, l))),
      (okIds) => {
        for (const id of okIds) {
          const l = updated.get(id);
          if (l) this.list.replace((r) => r.id === id, l);
        }
      },
      'updated',
    );
  }

  protected bulkDelete(): void {
    const n = this.selection.selected.length;
    this.confirm
      .ask({
        title: `Delete ${n} lead${n === 1 ? '' : 's'}?`,
        message: 'Their call history stays; the leads themselves are removed for good.',
        confirmText: 'Delete',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.bulk(
          (id) => this.api.remove(id),
          (okIds) => this.list.remove((l) => okIds.includes(l.id)),
          'deleted',
        );
      });
  }
}
