import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { KeysetList } from './keyset-list';

/** The foot of a keyset list: "Load more" while the server has more, then how many rows there are. */
@Component({
  selector: 'app-load-more',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  host: { class: 'load-more' },
  template: `
    @if (list().nextCursor()) {
      <button
        mat-stroked-button
        type="button"
        (click)="list().more()"
        [disabled]="list().loadingMore()"
        data-testid="load-more"
      >
        {{ list().loadingMore() ? 'Loading…' : 'Load more' }}
      </button>
    } @else {
      <span class="count">{{ count() }} {{ noun() }}{{ count() === 1 ? '' : 's' }}</span>
    }
  `,
  styles: `
    .count {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class LoadMore {
  readonly list = input.required<KeysetList<unknown>>();
  /** What a row is, in the singular: "lead" gives "1 lead", "2 leads". */
  readonly noun = input.required<string>();
  protected count(): number {
    return this.list().items().length;
  }
}
