import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { EnvironmentProviders, Provider, Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { Role } from '@acc/contracts';
import { Notifier } from '../core/notifier';
import { signInAs } from './session';

/**
 * Opens `url` in a router whose one route shows `page`, with HttpClient on
 * the testing backend and the user signed in as `role` (member by default).
 */
export async function openRoute<T>(
  page: Type<T>,
  url: string,
  opts: { role?: Role; providers?: Array<Provider | EnvironmentProviders> } = {},
) {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([{ path: new URL(url, 'http://x').pathname.slice(1), component: page }]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
      ...(opts.providers ?? []),
    ],
  });
  signInAs(opts.role ?? 'member');
  const harness = await RouterTestingHarness.create();
  const component = await harness.navigateByUrl(url, page);
  return {
    harness,
    component,
    http: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
  };
}
