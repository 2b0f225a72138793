import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Router,
  RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';
import { authGuard, guestGuard, roleGuard, safeReturnUrl } from './guards';
import { Notifier } from './notifier';
import { signInAs } from '../testing/session';

describe('safeReturnUrl', () => {
  it.each([
    ['/leads?status=new', '/leads?status=new'],
    ['/agents/123', '/agents/123'],
    [null, '/dashboard'],
    ['', '/dashboard'],
    ['https://evil.example.com', '/dashboard'],
    ['//evil.example.com', '/dashboard'],
    ['/\\evil.example.com', '/dashboard'],
    ['/login?returnUrl=/x', '/dashboard'],
    ['/signup', '/dashboard'],
  ])('%s -> %s', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });
});

describe('guards', () => {
  const state = (url: string) => ({ url }) as RouterStateSnapshot;
  const route = {} as ActivatedRouteSnapshot;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: Notifier, useValue: { error: jest.fn() } }],
    });
  });

  it('sends signed-out users to the login page with the return URL', () => {
    const result = TestBed.runInInjectionContext(() =>
      authGuard(route, state('/calls?status=failed')),
    );
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe(
      '/login?returnUrl=%2Fcalls%3Fstatus%3Dfailed',
    );
  });

  it('lets signed-in users through and keeps them off the login page', () => {
    signInAs('viewer');
    expect(TestBed.runInInjectionContext(() => authGuard(route, state('/calls')))).toBe(true);
    const result = TestBed.runInInjectionContext(() => guestGuard(route, state('/login')));
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/dashboard');
  });

  it('keeps viewers out of admin screens', () => {
    signInAs('viewer');
    const result = TestBed.runInInjectionContext(() => roleGuard('admin')(route, state('/team')));
    expect(result).toBeInstanceOf(UrlTree);
    signInAs('admin');
    expect(TestBed.runInInjectionContext(() => roleGuard('admin')(route, state('/team')))).toBe(
      true,
    );
  });
});
