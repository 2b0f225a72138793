import { Injectable, computed, signal } from '@angular/core';
import type {
  AuthResponse,
  MeResponse,
  Role,
  SwitchTenantResponse,
  Tenant,
  TenantMembership,
  User,
} from '@acc/contracts';
import { hasRole } from './roles';
import { Session, jwtExpiry, parseSession } from './session';

export const SESSION_KEY = 'acc.session';

/** Signup answers like login but may omit expiresAt and role (the creator is the owner). */
export type SessionInput = Pick<AuthResponse, 'token' | 'user' | 'tenant'> &
  Partial<Pick<AuthResponse, 'expiresAt' | 'role'>>;

/**
 * The signed-in user, their active tenant and role, as signals.
 * The token lives in localStorage so a reload keeps the session; the API remains the authority
 * (every request is re-checked, and a 401 sends the user back to the login page).
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly state = signal<Session | null>(this.restore());
  /** Bumped on every tenant switch so screens reload their data. */
  readonly tenantEpoch = signal(0);

  readonly session = this.state.asReadonly();
  readonly token = computed(() => this.state()?.token ?? null);
  readonly user = computed<User | null>(() => this.state()?.user ?? null);
  readonly tenant = computed<Tenant | null>(() => this.state()?.tenant ?? null);
  readonly role = computed<Role | null>(() => this.state()?.role ?? null);
  readonly memberships = computed<TenantMembership[]>(() => this.state()?.memberships ?? []);
  readonly isAuthenticated = computed(() => {
    const s = this.state();
    return !!s && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now());
  });
  /** member+: may create and change agents, leads, calls. */
  readonly canWrite = computed(() => hasRole(this.role(), 'member'));
  /** admin+: team and settings. */
  readonly isAdmin = computed(() => hasRole(this.role(), 'admin'));
  readonly isOwner = computed(() => hasRole(this.role(), 'owner'));

  can(required: Role): boolean {
    return hasRole(this.role(), required);
  }

  signIn(res: SessionInput): void {
    this.write({
      token: res.token,
      expiresAt: res.expiresAt ?? jwtExpiry(res.token),
      user: res.user,
      tenant: res.tenant,
      role: res.role ?? 'owner',
      memberships: [],
    });
  }

  applySwitch(res: SwitchTenantResponse): void {
    const s = this.state();
    if (!s) return;
    this.write({
      ...s,
      token: res.token,
      expiresAt: res.expiresAt,
      tenant: res.tenant,
      role: res.role,
    });
    this.tenantEpoch.update((n) => n + 1);
  }

  applyMe(me: MeResponse): void {
    const s = this.state();
    if (!s) return;
    const active = me.memberships.find((m) => m.tenant.id === me.tenantId);
    this.write({
      ...s,
      user: me.user,
      role: me.role,
      tenant: active?.tenant ?? s.tenant,
      memberships: me.memberships,
    });
  }

  setMemberships(memberships: TenantMembership[]): void {
    const s = this.state();
    if (!s) return;
    const active = memberships.find((m) => m.tenant.id === s.tenant.id);
    this.write({ ...s, memberships, tenant: active?.tenant ?? s.tenant });
  }

  updateTenant(tenant: Tenant): void {
    const s = this.state();
    if (!s || s.tenant.id !== tenant.id) return;
    this.write({
      ...s,
      tenant,
      memberships: s.memberships.map((m) => (m.tenant.id === tenant.id ? { ...m, tenant } : m)),
    });
  }

  clear(): void {
    this.state.set(null);
    try {
      localStorage.removeItem(SESSION_KEY);
    } catch {
      /* storage unavailable: nothing to forget */
    }
  }

  private write(s: Session): void {
    this.state.set(s);
    try {
      localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    } catch {
      /* private mode: the session lasts for this page only */
    }
  }

  private restore(): Session | null {
    try {
      return parseSession(localStorage.getItem(SESSION_KEY));
    } catch {
      return null;
    }
  }
}
