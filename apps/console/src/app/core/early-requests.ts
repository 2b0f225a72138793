import {
  HttpClient,
  HttpContext,
  HttpContextToken,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { ApplicationRef, Injectable, inject } from '@angular/core';
import {
  NavigationCancel,
  NavigationEnd,
  NavigationError,
  NavigationSkipped,
  Router,
} from '@angular/router';
import { Observable, catchError, filter, first, race, shareReplay, switchMap, timer } from 'rxjs';
import { SILENT_ERRORS } from './auth.interceptor';
import { RuntimeConfig } from './runtime-config';

const STORE_KEY = 'acc.early-requests';
/** Pages whose reads a tab remembers. */
const PAGES_KEPT = 20;
/** An answer asked for early is handed to the page only this soon after. */
const FRESH_MS = 10_000;

/** Marks the early requests themselves, which the interceptor lets through untouched. */
const EARLY = new HttpContextToken<boolean>(() => false);

/**
 * Starts, at startup, the API reads that the page being opened made the last time it was opened
 * in this tab (a reload), so that its data arrives beside its code instead of after the code has
 * loaded and the page has rendered. The page's own identical request takes the early answer, once
 * and within seconds; a page that asks for something else only cost one request. Reads only
 * (GET, JSON), sent like any other request (the current token, a 401 signs out); any other
 * method drops the early answers not taken, and a failed one is asked for again. Only the URLs
 * are kept, per tab (sessionStorage).
 */
@Injectable({ providedIn: 'root' })
export class EarlyRequests {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);
  private readonly router = inject(Router);
  private readonly appRef = inject(ApplicationRef);
  /** The page opened at startup, whose reads are noted until it has settled. */
  private page: string | null = null;
  private readonly asked = new Set<string>();
  private readonly early = new Map<
    string,
    { at: number; answer: Observable<HttpResponse<unknown>> }
  >();

  /** At startup, for the URL opened: asks again what it asked last time (if `replay`), and notes what it asks now. */
  start(page: string, replay: boolean): void {
    this.page = page;
    if (replay) {
      const context = new HttpContext().set(EARLY, true).set(SILENT_ERRORS, true);
      for (const url of readStore()[page] ?? []) {
        if (!this.config.isApiUrl(url)) continue;
        const answer = this.http.get(url, { observe: 'response', context }).pipe(shareReplay(1));
        answer.subscribe({ error: () => undefined });
        this.early.set(url, { at: Date.now(), answer });
      }
    }
    // settled: the first navigation is over and nothing is in flight (or a polling page: later)
    const navigated = this.router.events.pipe(
      filter(
        (e) =>
          e instanceof NavigationEnd ||
          e instanceof NavigationCancel ||
          e instanceof NavigationError ||
          e instanceof NavigationSkipped,
      ),
      first(),
    );
    const stable = this.appRef.isStable.pipe(filter(Boolean), first());
    race(navigated.pipe(switchMap(() => stable)), timer(FRESH_MS))
      .pipe(first())
      .subscribe(() => this.settle());
  }

  /** The early answer to `req`, if there is one still fresh: taken once. */
  take(req: HttpRequest<unknown>): Observable<HttpResponse<unknown>> | null {
    const url = req.urlWithParams;
    const found = this.early.get(url);
    if (!found || req.responseType !== 'json' || req.headers.keys().length > 0) return null;
    this.early.delete(url);
    return Date.now() - found.at <= FRESH_MS ? found.answer : null;
  }

  /** A read of the page being opened, to start early next time. */
  note(req: HttpRequest<unknown>): void {
    if (this.page !== null && req.responseType === 'json' && this.config.isApiUrl(req.url))
      this.asked.add(req.urlWithParams);
  }

  /** A write: answers fetched before it may be stale. */
  forget(): void {
    this.early.clear();
  }

  /** The first page has settled: its reads are kept for its next load, early answers not taken dropped. */
  settle(): void {
    if (this.page === null) return;
    const store = readStore();
    delete store[this.page];
    store[this.page] = [...this.asked];
    const pages = Object.keys(store);
    for (const old of pages.slice(0, Math.max(0, pages.length - PAGES_KEPT))) delete store[old];
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(store));
    } catch {
      /* storage full or unavailable: the next load just starts nothing early */
    }
    this.page = null;
    this.asked.clear();
    this.early.clear();
  }
}

function readStore(): Record<string, string[]> {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).map(([page, urls]) => [
        page,
        Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [],
      ]),
    );
  } catch {
    return {};
  }
}

/** Hands the page an early answer to its request, or notes the request for the next load. */
export const earlyRequestsInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(EARLY)) return next(req);
  const early = inject(EarlyRequests);
  if (req.method !== 'GET') {
    early.forget();
    return next(req);
  }
  const answer = early.take(req);
  if (answer) return answer.pipe(catchError(() => next(req)));
  early.note(req);
  return next(req);
};
