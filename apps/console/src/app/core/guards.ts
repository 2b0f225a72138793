import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Role } from '@acc/contracts';
import { AuthStore } from './auth.store';
import { Notifier } from './notifier';

/** Signed-in users only; others go to the login page, which brings them back afterwards. */
export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthStore).isAuthenticated()) return true;
  const router = inject(Router);
  const returnUrl = state.url && state.url !== '/' ? state.url : undefined;
  return router.createUrlTree(['/login'], { queryParams: returnUrl ? { returnUrl } : {} });
};

/** Sign-in and sign-up pages are pointless once signed in. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(AuthStore).isAuthenticated()) return true;
  return inject(Router).createUrlTree(['/dashboard']);
};

/** Hides screens above the user's role; the API enforces the same rule on every call. */
export function roleGuard(required: Role): CanActivateFn {
  return () => {
    const auth = inject(AuthStore);
    if (auth.can(required)) return true;
    inject(Notifier).error(`This page needs the ${required} role.`);
    return inject(Router).createUrlTree(['/dashboard']);
  };
}

/** Only a same-app path may be a return target (no open redirect to another site). */
export function safeReturnUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return '/dashboard';
  }
  if (/^\/(login|signup)(\?|$|\/)/.test(raw)) return '/dashboard';
  return raw;
}
