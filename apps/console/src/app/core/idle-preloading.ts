import { ApplicationRef, Injectable, inject } from '@angular/core';
import { PreloadingStrategy, Route } from '@angular/router';
import { EMPTY, Observable, catchError, filter, first, race, switchMap, timer } from 'rxjs';

/**
 * Downloads the code of every lazy screen once the page on screen has its data (no request in
 * flight, nothing left to render) and the browser is idle, so that a click in the side bar waits
 * for the page's data only, never for its code, and the page being opened never waits for
 * downloads it does not need.
 */
@Injectable({ providedIn: 'root' })
export class IdlePreloading implements PreloadingStrategy {
  private readonly stable = inject(ApplicationRef).isStable;

  preload(_route: Route, load: () => Observable<unknown>): Observable<unknown> {
    // a page that polls may never be stable for long: then after a few seconds anyway
    const settled = race(this.stable.pipe(filter(Boolean)), timer(3000)).pipe(first());
    return settled.pipe(
      switchMap(() => whenIdle()),
      // a chunk that fails to download now is asked for again when its screen is opened
      switchMap(() => load().pipe(catchError(() => EMPTY))),
    );
  }
}

function whenIdle(): Observable<void> {
  return new Observable<void>((subscriber) => {
    const done = () => {
      subscriber.next();
      subscriber.complete();
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(done, { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(done, 200);
    return () => clearTimeout(id);
  });
}
