import type { Role, Tenant, TenantMembership, User } from '@acc/contracts';

/** What the console keeps of a signed-in user between page loads. */
export interface Session {
  token: string;
  expiresAt: string | null;
  user: User;
  tenant: Tenant;
  role: Role;
  memberships: TenantMembership[];
}

/** The `exp` claim of a JWT as an ISO timestamp, or null when it cannot be read. */
export function jwtExpiry(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}

/** Reads a stored session back, refusing anything malformed or expired. */
export function parseSession(raw: string | null, now = Date.now()): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (!s || typeof s.token !== 'string' || !s.user || !s.tenant || !s.role) return null;
    if (s.expiresAt && Date.parse(s.expiresAt) <= now) return null;
    return {
      token: s.token,
      expiresAt: s.expiresAt ?? null,
      user: s.user,
      tenant: s.tenant,
      role: s.role,
      memberships: Array.isArray(s.memberships) ? s.memberships : [],
    };
  } catch {
    return null;
  }
}
