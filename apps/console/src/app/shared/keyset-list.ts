import { DestroyRef, computed, inject, signal } from '@angular/core';
import { FormControl } from '@angular/forms';
import { Router } from '@angular/router';
import type { Page } from '@acc/contracts';
import { Observable, Subscription, debounceTime, filter } from 'rxjs';
import { apiErrorMessage } from '../core/api-error';

/** A page; sortable lists also count the rows their filters match, on the first page. */
type ListPage<T> = Page<T> & { total?: number | null };

/**
 * State of a server-paginated list with keyset "load more": the first page replaces the rows,
 * later pages (fetched with the previous `nextCursor`) append. A new query cancels the old one.
 * Create it in a component's field initializer: a request still in flight ends with the component.
 */
export class KeysetList<T> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  /** How many rows match, from the first page (null while unknown), kept up by local edits. */
  readonly total = signal<number | null>(null);
  readonly loading = signal(false);
  readonly loadingMore = signal(false);
  readonly error = signal('');
  readonly loaded = signal(false);
  readonly empty = computed(() => this.loaded() && !this.loading() && this.items().length === 0);

  private sub?: Subscription;

  constructor(private readonly fetch: (cursor: string | null) => Observable<ListPage<T>>) {
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  reload(): void {
    this.sub?.unsubscribe();
    this.loading.set(true);
    this.loadingMore.set(false);
    this.error.set('');
    this.sub = this.fetch(null).subscribe({
      next: (page) => {
        this.items.set(page.data);
        this.nextCursor.set(page.nextCursor);
        this.total.set(page.total ?? null);
        this.loading.set(false);
        this.loaded.set(true);
      },
      error: (e: unknown) => {
        this.error.set(apiErrorMessage(e));
        this.loading.set(false);
        this.loaded.set(true);
      },
    });
  }

  more(): void {
    const cursor = this.nextCursor();
    if (!cursor || this.loadingMore() || this.loading()) return;
    this.loadingMore.set(true);
    this.sub = this.fetch(cursor).subscribe({
      next: (page) => {
        this.items.update((rows) => rows.concat(page.data));
        this.nextCursor.set(page.nextCursor);
        this.loadingMore.set(false);
      },
      error: () => this.loadingMore.set(false),
    });
  }

  /** Local edits after a successful write, so the list need not be refetched. */
  replace(match: (row: T) => boolean, row: T): void {
    this.items.update((rows) => rows.map((r) => (match(r) ? row : r)));
  }

  remove(match: (row: T) => boolean): void {
    const before = this.items().length;
    this.items.update((rows) => rows.filter((r) => !match(r)));
    this.count(this.items().length - before);
  }

  prepend(row: T): void {
    this.items.update((rows) => [row, ...rows]);
    this.count(1);
  }

  private count(change: number): void {
    this.total.update((n) => (n === null ? null : Math.max(0, n + change)));
  }
}

/**
 * A text filter's changes, once the user pauses typing, so a list is not refetched per key.
 * Not deduplicated here: the value is written to the URL, and the router skips an unchanged URL
 * (a local "last value" would go stale when the URL resets the field, e.g. Clear filters).
 * Dropped while the user is already leaving for another page (a row clicked before the search
 * settled): writing the filter to the URL then would cancel that navigation and stay on the list.
 * Call in an injection context (a component's constructor).
 */
export function typedFilter(control: FormControl<string>): Observable<string> {
  const router = inject(Router);
  return control.valueChanges.pipe(
    debounceTime(300),
    filter(() => !leaving(router)),
  );
}

function leaving(router: Router): boolean {
  const nav = router.currentNavigation();
  if (!nav) return false;
  const path = (url: string) => url.split(/[?#]/)[0];
  return path(router.serializeUrl(nav.extractedUrl)) !== path(router.url);
}
