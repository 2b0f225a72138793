import { TestBed } from '@angular/core/testing';
import type { AuthResponse, MeResponse } from '@acc/contracts';
import { AuthStore, SESSION_KEY } from './auth.store';
import { jwtExpiry, parseSession } from './session';

const tenant = (id: string, name: string) => ({
  id,
  name,
  slug: name.toLowerCase(),
  domain: null,
  status: 'active' as const,
  plan: 'pro',
  createdAt: '2025-01-01T00:00:00Z',
});
const user = { id: 'u1', email: 'a@b.co', fullName: 'Ann Bee', createdAt: '2025-01-01T00:00:00Z' };
const login = (role: AuthResponse['role'] = 'member'): AuthResponse => ({
  token: 'tok-1',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  user,
  tenant: tenant('t1', 'Acme'),
  role,
});

function fresh(): AuthStore {
  TestBed.resetTestingModule();
  return TestBed.inject(AuthStore);
}

describe('AuthStore', () => {
  beforeEach(() => localStorage.clear());

  it('starts signed out', () => {
    const auth = fresh();
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.role()).toBeNull();
    expect(auth.canWrite()).toBe(false);
  });

  it('signs in, persists, and survives a reload', () => {
    fresh().signIn(login('admin'));
    const again = fresh();
    expect(again.isAuthenticated()).toBe(true);
    expect(again.token()).toBe('tok-1');
    expect(again.tenant()?.name).toBe('Acme');
    expect(again.isAdmin()).toBe(true);
    expect(again.isOwner()).toBe(false);
  });

  it('does not restore an expired session', () => {
    localStorage.setItem(
      SESSION_KEY,
      JSON.stringify({ ...login(), expiresAt: new Date(Date.now() - 1000).toISOString() }),
    );
    expect(fresh().isAuthenticated()).toBe(false);
  });

  it('derives permissions from the role', () => {
    const auth = fresh();
    auth.signIn(login('viewer'));
    expect(auth.canWrite()).toBe(false);
    expect(auth.can('viewer')).toBe(true);
    auth.signIn(login('member'));
    expect(auth.canWrite()).toBe(true);
    expect(auth.isAdmin()).toBe(false);
    auth.signIn(login('owner'));
    expect(auth.isOwner()).toBe(true);
  });

  it('treats a signup answer without role as the owner', () => {
    const auth = fresh();
    auth.signIn({ token: 'a.eyJleHAiOjQxMDI0NDQ4MDB9.b', user, tenant: tenant('t1', 'Acme') });
    expect(auth.role()).toBe('owner');
    expect(auth.session()?.expiresAt).toBe('2100-01-01T00:00:00.000Z');
  });

  it('switches tenant: new token, tenant and role, and bumps the epoch', () => {
    const auth = fresh();
    auth.signIn(login('owner'));
    const before = auth.tenantEpoch();
    auth.applySwitch({
      token: 'tok-2',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      tenant: tenant('t2', 'Beta'),
      role: 'viewer',
    });
    expect(auth.token()).toBe('tok-2');
    expect(auth.tenant()?.id).toBe('t2');
    expect(auth.role()).toBe('viewer');
    expect(auth.canWrite()).toBe(false);
    expect(auth.tenantEpoch()).toBe(before + 1);
    expect(JSON.parse(localStorage.getItem(SESSION_KEY) ?? '{}').token).toBe('tok-2');
  });

  it('takes role and memberships from /auth/me', () => {
    const auth = fresh();
    auth.signIn(login('admin'));
    const me: MeResponse = {
      user: { ...user, fullName: 'Ann Renamed' },
      tenantId: 't1',
      role: 'member',
      memberships: [
        { tenant: tenant('t1', 'Acme Renamed'), role: 'member' },
        { tenant: tenant('t2', 'Beta'), role: 'owner' },
      ],
    };
    auth.applyMe(me);
    expect(auth.role()).toBe('member');
    expect(auth.user()?.fullName).toBe('Ann Renamed');
    expect(auth.tenant()?.name).toBe('Acme Renamed');
    expect(auth.memberships()).toHaveLength(2);
  });

  it('forgets everything on clear', () => {
    const auth = fresh();
    auth.signIn(login());
    auth.clear();
    expect(auth.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });
});

describe('session helpers', () => {
  it('reads the exp claim of a JWT', () => {
    const payload = btoa(JSON.stringify({ exp: 1_700_000_000 })).replace(/=+$/, '');
    expect(jwtExpiry(`h.${payload}.s`)).toBe(new Date(1_700_000_000_000).toISOString());
    expect(jwtExpiry('not-a-jwt')).toBeNull();
    expect(jwtExpiry('a.!!!.b')).toBeNull();
  });

  it('refuses malformed stored sessions', () => {
    expect(parseSession(null)).toBeNull();
    expect(parseSession('{')).toBeNull();
    expect(parseSession('{"token":1}')).toBeNull();
    expect(parseSession(JSON.stringify({ token: 't', user: {}, tenant: {} }))).toBeNull();
  });
});
