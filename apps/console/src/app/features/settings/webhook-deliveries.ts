import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { WEBHOOK_DELIVERY_STATUSES, Webhook, WebhookDelivery } from '@acc/contracts';
import { WebhooksApi } from '../../core/api/webhooks.api';
import { Notifier } from '../../core/notifier';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { LoadMore } from '../../shared/load-more';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';

/** One endpoint's delivery log (newest first, 30 days): each event, its attempts, a retry. */
@Component({
  selector: 'app-webhook-deliveries',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatSelectModule,
    MatTableModule,
    Icon,
    LoadMore,
    Loading,
    Empty,
    ErrorState,
    StatusChip,
    WhenPipe,
    HumanizePipe,
  ],
  template: `
    <div class="bar">
      <h3>
        Deliveries to <span class="mono">{{ endpoint().url }}</span>
      </h3>
      <span class="spacer"></span>
      <mat-form-field subscriptSizing="dynamic" class="status">
        <mat-label>Status</mat-label>
        <mat-select
          [value]="status()"
          (selectionChange)="status.set($event.value)"
          data-testid="deliveries-status"
        >
          <mat-option value="">Any</mat-option>
          @for (s of statuses; track s) {
            <mat-option [value]="s">{{ s | humanize }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <button
        mat-stroked-button
        type="button"
        (click)="list.reload()"
        data-testid="deliveries-refresh"
      >
        <app-icon name="refresh" /> Refresh
      </button>
    </div>
    @if (list.loading()) {
      <app-loading label="Loading deliveries…" />
    } @else if (list.error()) {
      <app-error-state
        title="Could not load the deliveries"
        [message]="list.error()"
        (retry)="list.reload()"
      />
    } @else if (list.empty()) {
      <app-empty
        icon="inbox"
        title="No deliveries"
        message="Events sent here in the last 30 days appear here. Send a test to try it."
      />
    } @else {
      <div class="table-scroll">
        <table mat-table [dataSource]="list.items()" data-testid="deliveries-table">
          <ng-container matColumnDef="event">
            <th mat-header-cell *matHeaderCellDef>Event</th>
            <td mat-cell *matCellDef="let d">
              <div class="mono">{{ d.type }}</div>
              <div class="muted small mono" title="webhook-id">{{ d.eventId }}</div>
            </td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>Status</th>
            <td mat-cell *matCellDef="let d" data-testid="delivery-status">
              <app-status-chip [value]="d.status" />
            </td>
          </ng-container>
          <ng-container matColumnDef="attempts">
            <th mat-header-cell *matHeaderCellDef>Attempts</th>
            <td mat-cell *matCellDef="let d" data-testid="delivery-attempts">{{ d.attempts }}</td>
          </ng-container>
          <ng-container matColumnDef="answer">
            <th mat-header-cell *matHeaderCellDef>Last answer</th>
            <td mat-cell *matCellDef="let d" data-testid="delivery-answer">
              @if (d.responseStatus !== null) {
                <span class="mono">{{ d.responseStatus }}</span>
              }
              @if (d.durationMs !== null) {
                <span class="muted small"> in {{ d.durationMs }} ms</span>
              }
              @if (d.error) {
                <div class="muted small">{{ d.error }}</div>
              }
              @if (d.responseBody) {
                <div class="muted small mono body" [title]="d.responseBody">
                  {{ d.responseBody }}
                </div>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="when">
            <th mat-header-cell *matHeaderCellDef>When</th>
            <td mat-cell *matCellDef="let d" class="small">
              <div>{{ d.createdAt | when }}</div>
              @if (d.nextAttemptAt) {
                <div class="muted">next try {{ d.nextAttemptAt | when }}</div>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef>
              <span class="cdk-visually-hidden">Actions</span>
            </th>
            <td mat-cell *matCellDef="let d" class="actions-cell">
              <button
                mat-button
                type="button"
                (click)="retry(d)"
                [disabled]="retrying() === d.id"
                data-testid="delivery-retry"
              >
                {{ d.status === 'succeeded' ? 'Send again' : 'Retry now' }}
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="delivery-row"></tr>
        </table>
      </div>
      <app-load-more [list]="list" noun="event" />
    }
  `,
  styles: `
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      margin-bottom: 8px;
    }
    h3 {
      font: var(--mat-sys-title-small);
      margin: 0;
      word-break: break-all;
    }
    .spacer {
      flex: 1;
    }
    .status {
      width: 140px;
    }
    .small {
      font: var(--mat-sys-body-small);
    }
    .body {
      max-width: 280px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .actions-cell {
      text-align: right;
    }
  `,
})
export class WebhookDeliveries {
  private readonly api = inject(WebhooksApi);
  private readonly notifier = inject(Notifier);
  readonly endpoint = input.required<Webhook>();
  protected readonly statuses = WEBHOOK_DELIVERY_STATUSES;
  protected readonly status = signal('');
  protected readonly retrying = signal<string | null>(null);
  protected readonly columns = ['event', 'status', 'attempts', 'answer', 'when', 'actions'];
  readonly list = new KeysetList<WebhookDelivery>((cursor) =>
    this.api.deliveries(this.endpoint().id, { status: this.status(), cursor }),
  );

  constructor() {
    // a new endpoint or status filter: the first page again
    effect(() => {
      this.endpoint();
      this.status();
      this.list.reload();
    });
  }

  protected retry(d: WebhookDelivery): void {
    this.retrying.set(d.id);
    this.api.retry(this.endpoint().id, d.id).subscribe({
      next: (updated) => {
        this.retrying.set(null);
        this.list.items.update((rows) => rows.map((r) => (r.id === updated.id ? updated : r)));
        void this.notifier.success('Sending it again now; refresh to see the answer');
      },
      error: () => this.retrying.set(null),
    });
  }
}
