import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { type Sort as HeaderSort, MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { CallSummary } from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { Icon } from '../../shared/icon';
import { DurationPipe, HumanizePipe, MoneyPipe, PhonePipe, WhenPipe } from '../../shared/pipes';
import { StatusChip } from '../../shared/status-chip';

/** A table of calls; a row opens the call. Shared by the calls list and lead detail. */
@Component({
  selector: 'app-calls-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PhonePipe,
    MatSortModule,
    MatTableModule,
    RouterLink,
    Icon,
    StatusChip,
    DurationPipe,
    HumanizePipe,
    MoneyPipe,
    WhenPipe,
  ],
  template: `
    <div class="table-scroll">
      <table
        mat-table
        class="list-cards"
        [dataSource]="calls()"
        matSort
        matSortDisableClear
        [matSortDisabled]="!sort()"
        [matSortActive]="sort()?.active ?? ''"
        [matSortDirection]="sort()?.direction ?? ''"
        (matSortChange)="sortChange.emit($event)"
        data-testid="calls-table"
      >
        <ng-container matColumnDef="when">
          <th mat-header-cell *matHeaderCellDef mat-sort-header start="desc">When</th>
          <td mat-cell *matCellDef="let c" class="card-primary when">
            <a
              [routerLink]="['/calls', c.id]"
              (click)="$event.stopPropagation()"
              data-testid="call-link"
            >
              {{ c.startedAt ?? c.createdAt | when }}
            </a>
          </td>
        </ng-container>
        <ng-container matColumnDef="direction">
          <th mat-header-cell *matHeaderCellDef>Direction</th>
          <td mat-cell *matCellDef="let c">
            <span class="dir" [class.in]="c.direction === 'inbound'">
              <app-icon [name]="c.direction === 'inbound' ? 'download' : 'upload'" />
              {{ c.direction | humanize }}
            </span>
          </td>
        </ng-container>
        <ng-container matColumnDef="number">
          <th mat-header-cell *matHeaderCellDef>Number</th>
          <td mat-cell *matCellDef="let c" class="mono">
            {{ (c.direction === 'inbound' ? c.fromNumber : c.toNumber) | phone }}
          </td>
        </ng-container>
        <ng-container matColumnDef="agent">
          <th mat-header-cell *matHeaderCellDef>Agent</th>
          <td mat-cell *matCellDef="let c">{{ directory.name(c.agentId) }}</td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef mat-sort-header>Status</th>
          <td mat-cell *matCellDef="let c" class="card-status">
            <app-status-chip [value]="c.status" />
          </td>
        </ng-container>
        <ng-container matColumnDef="outcome">
          <th mat-header-cell *matHeaderCellDef>Outcome</th>
          <td mat-cell *matCellDef="let c" [class.card-hide]="!c.outcome">
            {{ c.outcome ? (c.outcome | humanize) : '—' }}
          </td>
        </ng-container>
        <ng-container matColumnDef="duration">
          <th
            mat-header-cell
            *matHeaderCellDef
            class="num"
            mat-sort-header
            start="desc"
            arrowPosition="before"
          >
            Duration
          </th>
          <td mat-cell *matCellDef="let c" class="num">{{ c.durationSeconds | duration }}</td>
        </ng-container>
        <ng-container matColumnDef="cost">
          <th mat-header-cell *matHeaderCellDef class="num">Cost</th>
          <td mat-cell *matCellDef="let c" class="num">{{ c.cost | money }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr
          mat-row
          *matRowDef="let row; columns: columns()"
          class="clickable"
          data-testid="call-row"
          (click)="router.navigate(['/calls', row.id])"
        ></tr>
      </table>
    </div>
  `,
  styles: `
    .num {
      text-align: right;
    }
    .when {
      white-space: nowrap;
    }
    .dir {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    .dir app-icon {
      width: 16px;
      height: 16px;
      color: var(--mat-sys-primary);
    }
    .dir.in app-icon {
      color: var(--mat-sys-tertiary);
    }
  `,
})
export class CallsTable {
  readonly calls = input.required<CallSummary[]>();
  readonly showAgent = input(true);
  /** The server-side order the headers show and change; none: the headers do not sort. */
  readonly sort = input<HeaderSort | null>(null);
  readonly sortChange = output<HeaderSort>();
  protected readonly router = inject(Router);
  protected readonly directory = inject(AgentDirectory);
  protected readonly columns = computed(() =>
    ['when', 'direction', 'number', 'agent', 'status', 'outcome', 'duration', 'cost'].filter(
      (c) => c !== 'agent' || this.showAgent(),
    ),
  );

  constructor() {
    this.directory.ensure();
  }
}
