import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { Router, UrlTree } from '@angular/router';
import { Subject } from 'rxjs';
import type { Page } from '@acc/contracts';
import { KeysetList, typedFilter } from './keyset-list';

describe('KeysetList: the total', () => {
  type Row = { id: number };
  /** Each request answers one page, then completes (as HttpClient does). */
  function setup() {
    const cursors: Array<string | null> = [];
    let answer: Subject<Page<Row> & { total?: number | null }> = new Subject();
    const list = TestBed.runInInjectionContext(
      () =>
        new KeysetList<Row>((cursor) => {
          cursors.push(cursor);
          answer = new Subject();
          return answer;
        }),
    );
    const pages = {
      next(page: Page<Row> & { total?: number | null }) {
        answer.next(page);
        answer.complete();
      },
    };
    return { list, pages, cursors };
  }

  it("is the first page's, kept over later pages (which do not count)", () => {
    const { list, pages, cursors } = setup();
    expect(list.total()).toBeNull();
    list.reload();
    pages.next({ data: [{ id: 1 }, { id: 2 }], nextCursor: 'c', total: 3 });
    expect(list.total()).toBe(3);
    list.more();
    pages.next({ data: [{ id: 3 }], nextCursor: null, total: null });
    expect(list.total()).toBe(3);
    expect(cursors).toEqual([null, 'c']);
  });

  it('follows local creates and deletes; unknown stays unknown', () => {
    const { list, pages } = setup();
    list.reload();
    pages.next({ data: [{ id: 1 }, { id: 2 }], nextCursor: null, total: 2 });
    list.prepend({ id: 9 });
    expect(list.total()).toBe(3);
    list.remove((r) => r.id !== 2);
    expect(list.total()).toBe(1);
    list.reload();
    pages.next({ data: [{ id: 1 }], nextCursor: null });
    list.prepend({ id: 9 });
    expect(list.total()).toBeNull();
  });
});

describe('typedFilter', () => {
  function setup(target: string | null) {
    const router = {
      url: '/leads?q=Li',
      currentNavigation: () => (target === null ? null : { extractedUrl: target as unknown }),
      serializeUrl: (u: UrlTree | string) => String(u),
    };
    TestBed.configureTestingModule({ providers: [{ provide: Router, useValue: router }] });
    const control = new FormControl('', { nonNullable: true });
    const seen: string[] = [];
    TestBed.runInInjectionContext(() => typedFilter(control)).subscribe((v) => seen.push(v));
    return { control, seen };
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes the value once typing pauses', () => {
    const { control, seen } = setup(null);
    control.setValue('L');
    control.setValue('Linus');
    jest.advanceTimersByTime(300);
    expect(seen).toEqual(['Linus']);
  });

  it('is dropped while the user leaves for another page (a row clicked mid-search)', () => {
    const { control, seen } = setup('/leads/7c1f1a52');
    control.setValue('Linus');
    jest.advanceTimersByTime(300);
    expect(seen).toEqual([]);
  });

  it("still passes during the list's own query navigation", () => {
    const { control, seen } = setup('/leads?q=Lin');
    control.setValue('Linus');
    jest.advanceTimersByTime(300);
    expect(seen).toEqual(['Linus']);
  });
});
