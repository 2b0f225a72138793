import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule, MatMenuTrigger } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { type Sort as HeaderSort, MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  AGENT_STATUSES,
  Agent,
  AgentSort,
  AgentSortKey,
  AgentStatus,
  DEFAULT_SORT,
} from '@acc/contracts';
import { merge } from 'rxjs';
import { AgentDirectory } from '../../core/agent-directory';
import { AgentQuery, AgentsApi } from '../../core/api/agents.api';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { Icon } from '../../shared/icon';
import { KeysetList, typedFilter } from '../../shared/keyset-list';
import { ListSort } from '../../shared/list-sort';
import { ListTotal } from '../../shared/list-total';
import { SortOption, SortSelect } from '../../shared/sort-select';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';

const isStatus = (v: string | null): v is AgentStatus =>
  !!v && (AGENT_STATUSES as readonly string[]).includes(v);

/**
 * The status filter: '' (the default, no parameter in the URL) shows the agents in use, all but
 * the archived ones; 'all' shows those too; a status shows only that one.
 */
export type AgentStatusView = AgentStatus | '' | 'all';

/** The list request for a view of the status filter. */
export function statusQuery(view: AgentStatusView): AgentQuery {
  if (view === '') return { archived: 'exclude' };
  return view === 'all' ? {} : { status: view };
}

/** Whether an agent in this status belongs in the view (a changed one may leave it). */
export function inView(view: AgentStatusView, status: AgentStatus): boolean {
  if (view === '') return status !== 'archived';
  return view === 'all' || view === status;
}

/** The URL is the filter state (like the calls list), so Back and reload keep the search. */
@Component({
  selector: 'app-agents-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSortModule,
    MatTableModule,
    MatMenuModule,
    MatProgressBarModule,
    Icon,
    ListTotal,
    SortSelect,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    WhenPipe,
    HumanizePipe,
  ],
  templateUrl: './agents-list.page.html',
})
export class AgentsListPage {
  private readonly api = inject(AgentsApi);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  private readonly directory = inject(AgentDirectory);
  private readonly route = inject(ActivatedRoute);
  protected readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);

  protected readonly statuses = AGENT_STATUSES;
  protected readonly q = new FormControl('', { nonNullable: true });
  protected readonly status = new FormControl<AgentStatusView>('', { nonNullable: true });
  protected readonly busyId = signal<string | null>(null);
  protected readonly columns = [
    'name',
    'status',
    'direction',
    'language',
    'model',
    'updated',
    'actions',
  ];

  /** The order, in the URL with the filters; the table's sort headers change it. */
  private readonly sorting = new ListSort<AgentSortKey>({
    name: 'name',
    status: 'status',
    updated: 'updatedAt',
  });
  protected readonly sort = signal<AgentSort>(DEFAULT_SORT);
  protected readonly sortOptions: Array<SortOption<AgentSort>> = [
    { value: '-createdAt', label: 'Newest first' },
    { value: 'createdAt', label: 'Oldest first' },
    { value: 'name', label: 'Name, A to Z' },
    { value: '-name', label: 'Name, Z to A' },
    { value: 'status', label: 'Status, A to Z' },
    { value: '-updatedAt', label: 'Recently updated' },
  ];
  protected readonly sortHeader = computed(() => this.sorting.header(this.sort()));

  protected readonly list = new KeysetList<Agent>((cursor) =>
    this.api.list({
      q: this.q.value.trim(),
      ...statusQuery(this.status.value),
      sort: this.sort(),
      cursor,
    }),
  );

  constructor() {
    merge(typedFilter(this.q), this.status.valueChanges)
      .pipe(takeUntilDestroyed())
      .subscribe(
        () =>
          // Replaces the history entry: Back leaves the list rather than stepping through searches.
          void this.router.navigate([], {
            relativeTo: this.route,
            queryParams: { q: this.q.value.trim() || null, status: this.status.value || null },
            queryParamsHandling: 'merge',
            replaceUrl: true,
          }),
      );
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((p) => {
      const status = p.get('status');
      this.q.setValue(p.get('q') ?? '', { emitEvent: false });
      this.status.setValue(isStatus(status) || status === 'all' ? status : '', {
        emitEvent: false,
      });
      this.sort.set(this.sorting.parse(p.get('sort')));
      this.list.reload();
    });
  }

  protected sortChanged(header: HeaderSort): void {
    this.setSort(this.sorting.fromHeader(header));
  }

  /** A new order starts again from the first page (the URL change reloads). */
  protected setSort(sort: AgentSort): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { sort: this.sorting.param(sort) },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected filtered(): boolean {
    return !!this.q.value.trim() || !!this.status.value;
  }

  /** `trigger`: the row's menu trigger, which gets focus back after the confirmation. */
  protected setStatus(agent: Agent, status: AgentStatus, trigger?: MatMenuTrigger): void {
    const run = () => {
      this.busyId.set(agent.id);
      this.api.update(agent.id, { status }).subscribe({
        next: (updated) => {
          this.busyId.set(null);
          if (inView(this.status.value, updated.status))
            this.list.replace((a) => a.id === agent.id, updated);
          else this.list.remove((a) => a.id === agent.id);
          this.directory.refresh();
          this.notifier.success(`${agent.name} is now ${status}`);
        },
        error: () => this.busyId.set(null),
      });
    };
    if (status !== 'archived') return run();
    this.confirm
      .ask(
        {
          title: `Archive ${agent.name}?`,
          message: 'An archived agent takes no calls. You can reactivate it later.',
          confirmText: 'Archive',
          danger: true,
        },
        trigger,
      )
      .subscribe((ok) => ok && run());
  }
}
