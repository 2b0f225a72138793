import type { Sort as HeaderSort } from '@angular/material/sort';
import { DEFAULT_SORT, type Sort, sortKey } from '@acc/contracts';

/**
 * A list's server-side order, between the URL (`?sort=name`, none for the default), the API's
 * `sort` parameter and the table's sort headers. `columns` maps each sortable column of the
 * table to its sort key; the default order (newest first) shows on the createdAt column,
 * descending, or on none when the table has no such column. Any other value in the URL (an old link, a typo) is the default order.
 */
export class ListSort<K extends string> {
  private readonly keys: Record<string, string>;

  constructor(private readonly columns: Record<string, K | 'createdAt'>) {
    this.keys = Object.fromEntries(Object.entries(columns).map(([c, k]) => [k, c]));
  }

  parse(value: string | null): Sort<K | 'createdAt'> {
    const key = value ? sortKey(value).key : '';
    return value && key in this.keys ? (value as Sort<K>) : (DEFAULT_SORT as Sort<'createdAt'>);
  }

  /** The sort header state of an order. */
  header(sort: Sort<K | 'createdAt'>): HeaderSort {
    const { key, descending } = sortKey(sort);
    const active = this.keys[key];
    return active
      ? { active, direction: descending ? 'desc' : 'asc' }
      : { active: '', direction: '' };
  }

  /** The order a click on a sort header asks for (a header cleared: the default). */
  fromHeader({ active, direction }: HeaderSort): Sort<K | 'createdAt'> {
    const key = this.columns[active];
    if (!key || !direction) return DEFAULT_SORT as Sort<'createdAt'>;
    return direction === 'desc' ? `-${key}` : key;
  }

  /** The URL's value of an order: none for the default, so plain links stay plain. */
  param(sort: Sort<K | 'createdAt'>): string | null {
    return sort === DEFAULT_SORT ? null : sort;
  }
}
