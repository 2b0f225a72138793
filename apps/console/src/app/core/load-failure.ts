import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, NavigationError, Router } from '@angular/router';
import { filter } from 'rxjs';

/** How browsers word a failed `import()` (server down, or a chunk gone after a new release). */
const CHUNK_ERROR =
  /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Loading chunk/i;

export const isChunkLoadError = (e: unknown): boolean =>
  e instanceof Error && CHUNK_ERROR.test(e.message);

/**
 * The page whose code could not be downloaded. The root component shows it as a message with a
 * Reload action, instead of the click silently doing nothing; reloading is left to the user
 * (an automatic reload would loop while the server is down).
 */
@Injectable({ providedIn: 'root' })
export class LoadFailure {
  readonly url = signal<string | null>(null);

  constructor() {
    // Another page that did load makes the message stale.
    inject(Router)
      .events.pipe(
        filter((e) => e instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.url.set(null));
  }

  /** For withNavigationErrorHandler: other navigation errors are not this service's business. */
  navigationFailed(e: NavigationError): void {
    if (isChunkLoadError(e.error)) this.url.set(e.url);
  }

  /** A full page load of the target, which fetches the current release's index and chunks. */
  reload(): void {
    const url = this.url();
    if (url) location.assign(url);
    else location.reload();
  }
}
