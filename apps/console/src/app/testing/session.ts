import { TestBed } from '@angular/core/testing';
import type { Role } from '@acc/contracts';
import { AuthStore } from '../core/auth.store';

/** Signs the test's AuthStore in as a user of one tenant with the given role. */
export function signInAs(role: Role): void {
  TestBed.inject(AuthStore).signIn({
    token: 't',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    role,
    user: { id: 'u', email: 'e@x.co', fullName: 'E', createdAt: '2025-01-01T00:00:00Z' },
    tenant: {
      id: 't',
      name: 'T',
      slug: 't',
      domain: null,
      status: 'active',
      plan: 'p',
      createdAt: '2025-01-01T00:00:00Z',
    },
  });
}
