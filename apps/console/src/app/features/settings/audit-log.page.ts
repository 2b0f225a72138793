import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AuditEvent, AuditEventFilter } from '@acc/contracts';
import { AuditApi } from '../../core/api/audit.api';
import { apiErrorMessage } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { saveBlob } from '../leads/download';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { AuditEvents } from './audit-events';

/** Settings, Audit log: who changed what in the workspace, with filters and a CSV export. */
@Component({
  selector: 'app-audit-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    Icon,
    AuditEvents,
    Loading,
    Empty,
    ErrorState,
  ],
  template: `
    <div class="page">
      <h1>Audit log</h1>
      <p class="hint">
        Every change to the workspace's data and settings, and every sign-in: who, when, from where,
        and each field's old and new value. Secrets are never recorded.
      </p>
      <form
        class="filters"
        [formGroup]="form"
        (ngSubmit)="apply()"
        novalidate
        data-testid="audit-filters"
      >
        <mat-form-field>
          <mat-label>Action</mat-label>
          <input
            matInput
            formControlName="action"
            placeholder="lead.updated"
            data-testid="audit-filter-action"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Who (name or id)</mat-label>
          <input matInput formControlName="actor" data-testid="audit-filter-actor" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Resource type</mat-label>
          <input matInput formControlName="resourceType" placeholder="agent" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Resource id</mat-label>
          <input matInput formControlName="resourceId" />
        </mat-form-field>
        <div class="actions">
          <button mat-flat-button type="submit" data-testid="audit-apply">
            <app-icon name="filter" /> Filter
          </button>
          <button
            mat-button
            type="button"
            (click)="exportCsv()"
            [disabled]="exporting()"
            data-testid="audit-export"
          >
            <app-icon name="download" /> {{ exporting() ? 'Exporting…' : 'Export CSV' }}
          </button>
        </div>
      </form>
      <section class="surface section">
        @if (list.loading() && !list.items().length) {
          <app-loading label="Loading the audit log…" />
        } @else if (list.error()) {
          <app-error-state
            title="Could not load the audit log"
            [message]="list.error()"
            (retry)="list.reload()"
          />
        } @else if (list.empty()) {
          <app-empty icon="inbox" title="No event" message="No recorded change matches." />
        } @else {
          <app-audit-events [events]="list.items()" />
          @if (list.nextCursor()) {
            <button mat-button type="button" (click)="list.more()" [disabled]="list.loadingMore()">
              Show older events
            </button>
          }
        }
      </section>
    </div>
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
      align-items: baseline;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
  `,
})
export class AuditLogPage {
  private readonly api = inject(AuditApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    action: [''],
    actor: [''],
    resourceType: [''],
    resourceId: [''],
  });
  private readonly notifier = inject(Notifier);
  protected readonly exporting = signal(false);
  private filter: AuditEventFilter = {};
  protected readonly list = new KeysetList<AuditEvent>((cursor) =>
    this.api.list({ ...this.filter, cursor }),
  );

  constructor() {
    this.list.reload();
  }

  protected apply(): void {
    const v = this.form.getRawValue();
    this.filter = Object.fromEntries(
      Object.entries(v)
        .map(([k, x]) => [k, x.trim()])
        .filter(([, x]) => x),
    );
    this.list.reload();
  }

  protected exportCsv(): void {
    this.exporting.set(true);
    this.api.exportCsv(this.filter).subscribe({
      next: (blob) => {
        this.exporting.set(false);
        saveBlob(blob, `audit-${new Date().toISOString().slice(0, 10)}.csv`);
      },
      error: (e: unknown) => {
        this.exporting.set(false);
        this.notifier.error(apiErrorMessage(e));
      },
    });
  }
}
