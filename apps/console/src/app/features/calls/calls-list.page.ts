import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Params, Router } from '@angular/router';
import {
  CALL_DIRECTIONS,
  CALL_STATUSES,
  CallDirection,
  CallStatus,
  CallSummary,
} from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { CallQuery, CallsApi } from '../../core/api/calls.api';
import { endOfLocalDay, startOfLocalDay } from '../../shared/dates';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { LoadMore } from '../../shared/load-more';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { CallsTable } from './calls-table';

const isStatus = (v: string | null): v is CallStatus =>
  !!v && (CALL_STATUSES as readonly string[]).includes(v);
const isDirection = (v: string | null): v is CallDirection =>
  !!v && (CALL_DIRECTIONS as readonly string[]).includes(v);
const isoOrUndefined = (v: string | null): string | undefined =>
  v && !Number.isNaN(Date.parse(v)) ? v : undefined;

/**
 * The URL is the filter state (so the dashboard can link to "calls on this day" and a filtered
 * view can be shared); form edits rewrite the URL, and URL changes reload the list.
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
    LoadMore,
    HumanizePipe,
    WhenPipe,
  ],
  templateUrl: './calls-list.page.html',
})
export class CallsListPage {
  private readonly api = inject(CallsApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
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

  protected readonly list = new KeysetList<CallSummary>((cursor) =>
    this.api.list({ ...this.query(), cursor }),
  );

  constructor() {
    this.directory.ensure();
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
      };
      this.query.set(q);
      this.status.setValue(q.status ?? '', { emitEvent: false });
      this.direction.setValue(q.direction ?? '', { emitEvent: false });
      this.agentId.setValue(q.agentId ?? '', { emitEvent: false });
      this.range.setValue(
        {
          start: q.from ? new Date(q.from) : null,
          end: q.to ? new Date(q.to) : null,
        },
        { emitEvent: false },
      );
      this.list.reload();
    });
  }

  protected filtersChanged(): void {
    const { start, end } = this.range.value;
    this.navigate({
      status: this.status.value || null,
      direction: this.direction.value || null,
      agentId: this.agentId.value || null,
      from: start ? startOfLocalDay(start).toISOString() : null,
      to: end
        ? endOfLocalDay(end).toISOString()
        : start
          ? endOfLocalDay(start).toISOString()
          : null,
    });
  }

  protected rangeClosed(): void {
    const { start, end } = this.range.value;
    if (start && end) this.filtersChanged();
  }

  protected clear(key?: keyof CallQuery): void {
    if (key) {
      this.navigate(key === 'from' ? { from: null, to: null } : { [key]: null });
    } else {
      void this.router.navigate([], { relativeTo: this.route, queryParams: {} });
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
    return Object.values(this.query()).some((v) => !!v);
  }
}
