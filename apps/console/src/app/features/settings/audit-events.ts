import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { AuditEvent } from '@acc/contracts';
import { actorLabel, diffLines } from '../../shared/audit-diff';
import { WhenPipe } from '../../shared/pipes';

/** Audit events as a list: when, who, what, and each field's change. */
@Component({
  selector: 'app-audit-events',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [WhenPipe],
  template: `
    <ul class="events" data-testid="audit-events">
      @for (e of events(); track e.id) {
        <li data-testid="audit-event">
          <div class="head">
            <span class="mono action" data-testid="audit-action">{{ e.action }}</span>
            <span class="muted">{{ e.at | when }} · {{ actor(e) }}</span>
            @if (showResource()) {
              <span class="muted mono">{{ e.resourceType }} {{ e.resourceId ?? '' }}</span>
            }
          </div>
          @if (lines(e).length) {
            <dl class="diff">
              @for (l of lines(e); track l.field) {
                <dt class="mono">{{ l.field }}</dt>
                <dd data-testid="audit-change">{{ l.text }}</dd>
              }
            </dl>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .events {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      align-items: baseline;
    }
    .action {
      font-weight: 600;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .diff {
      display: grid;
      grid-template-columns: minmax(80px, max-content) 1fr;
      gap: 2px 12px;
      margin: 8px 0 0;
      overflow-wrap: anywhere;
    }
    dd {
      margin: 0;
    }
  `,
})
export class AuditEvents {
  readonly events = input.required<AuditEvent[]>();
  readonly showResource = input(true);
  protected readonly actor = actorLabel;
  protected readonly lines = diffLines;
}
