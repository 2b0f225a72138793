import {
  HttpContext,
  HttpContextToken,
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpRequest,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { apiErrorMessage } from './api-error';
import { AuthStore } from './auth.store';
import { Notifier } from './notifier';
import { RuntimeConfig } from './runtime-config';

/** Set on a request whose errors the caller shows itself (e.g. inline in a form). */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);

/** Request options for a caller that shows the errors itself, so no snackbar repeats them. */
export const shownInline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** Public auth endpoints answer 401 for bad credentials, not for an expired session. */
function isPublicAuthCall(req: HttpRequest<unknown>): boolean {
  return /\/api\/v1\/auth\/(login|signup|forgot-password|reset-password|invitation|accept-invite|decline-invite)$/.test(
    req.url.split('?')[0],
  );
}

/**
 * Adds the bearer token to API calls only (never to third-party URLs), sends a 401 back to
 * the login page with the URL the user was heading for, and shows every other API error in a
 * snackbar using the API's own message.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  const config = inject(RuntimeConfig);
  const router = inject(Router);
  const notifier = inject(Notifier);

  const token = auth.token();
  const toApi = config.isApiUrl(req.url);
  const outgoing =
    token && toApi && !req.headers.has('Authorization')
      ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })
      : req;

  return next(outgoing).pipe(
    catchError((err: unknown) => {
      if (!(err instanceof HttpErrorResponse) || !toApi) return throwError(() => err);
      if (err.status === 401 && !isPublicAuthCall(req)) {
        // A navigation in flight (guard, resolver) is where the user wanted to go.
        const pending =
          router.currentNavigation()?.finalUrl ?? router.currentNavigation()?.extractedUrl;
        const target = pending ? router.serializeUrl(pending) : router.url;
        const onLogin = target.startsWith('/login');
        auth.clear();
        if (!onLogin) {
          notifier.error('Your session has ended. Please sign in again.');
          void router.navigate(['/login'], {
            queryParams: target && target !== '/' ? { returnUrl: target } : {},
          });
        }
      } else if (!req.context.get(SILENT_ERRORS)) {
        notifier.error(apiErrorMessage(err));
      }
      return throwError(() => err);
    }),
  );
};
