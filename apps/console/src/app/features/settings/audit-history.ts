import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { AuditEvent } from '@acc/contracts';
import { AuditApi } from '../../core/api/audit.api';
import { KeysetList } from '../../shared/keyset-list';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { AuditEvents } from './audit-events';

/** A resource's History: its audit events, newest first (admins only: the log is theirs). */
@Component({
  selector: 'app-audit-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, AuditEvents, Loading, Empty, ErrorState],
  template: `
    <section class="surface section" data-testid="audit-history">
      <h2>History</h2>
      @if (list.loading() && !list.items().length) {
        <app-loading label="Loading the history…" />
      } @else if (list.error()) {
        <app-error-state
          title="Could not load the history"
          [message]="list.error()"
          (retry)="list.reload()"
        />
      } @else if (list.empty()) {
        <app-empty icon="inbox" title="No change recorded" message="Changes appear here." />
      } @else {
        <app-audit-events [events]="list.items()" [showResource]="false" />
        @if (list.nextCursor()) {
          <button mat-button type="button" (click)="list.more()" [disabled]="list.loadingMore()">
            Show older changes
          </button>
        }
      }
    </section>
  `,
})
export class AuditHistory {
  private readonly api = inject(AuditApi);
  readonly resourceType = input.required<string>();
  readonly resourceId = input.required<string>();
  /** the resource's updatedAt: a change saved on its page shows here at once */
  readonly changedAt = input<string | null>(null);
  protected readonly list = new KeysetList<AuditEvent>((cursor) =>
    this.api.list({
      resourceType: this.resourceType(),
      resourceId: this.resourceId(),
      cursor,
      limit: 20,
    }),
  );

  constructor() {
    effect(() => {
      this.changedAt();
      if (this.resourceType() && this.resourceId()) untracked(() => this.list.reload());
    });
  }
}
