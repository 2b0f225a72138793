import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { formatCount } from './format';
import { KeysetList } from './keyset-list';

/**
 * How many rows match the list's filters ("1,234 leads"), beside the page title: the server
 * counts them on the first page; nothing shows until it has.
 */
@Component({
  selector: 'app-list-total',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'list-total' },
  template: `{{ text() }}`,
})
export class ListTotal {
  readonly list = input.required<KeysetList<unknown>>();
  /** What a row is, in the singular: "lead" gives "1 lead", "2 leads". */
  readonly noun = input.required<string>();
  protected readonly text = computed(() => {
    const n = this.list().total();
    return n === null ? '' : formatCount(n, this.noun());
  });
}
