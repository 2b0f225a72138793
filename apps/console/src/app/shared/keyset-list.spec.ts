import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { Router, UrlTree } from '@angular/router';
import { typedFilter } from './keyset-list';

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
