import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '@acc/contracts';
import type { QueryRunner } from 'typeorm';

/**
 * Who a transaction acts for. tenantId scopes every tenant table through
 * row-level security; userId lets a user read their own memberships across
 * tenants; host lets an unauthenticated request resolve its tenant by domain.
 */
export interface TxScope {
  tenantId?: string;
  userId?: string;
  host?: string;
  /**
   * Names an unauthenticated step (signup, login, password reset) that only
   * touches identity tables; RLS still hides every tenant's data from it.
   */
  purpose?: 'signup' | 'login' | 'password-reset' | 'metrics';
}

export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
}

export interface Membership {
  role: Role;
  status: 'invited' | 'active' | 'disabled';
  tokenVersion: number;
  userActive: boolean;
}

export interface OpenTx {
  runner: QueryRunner;
  membership: Membership | null;
}

/** Per-request (or per-`Db.transaction`) state, carried by AsyncLocalStorage. */
export interface RequestStore {
  requestId?: string;
  scope?: TxScope;
  principal?: Principal;
  tx?: Promise<OpenTx>;
  readReplica?: boolean;
  /** Set once the transaction has been committed or rolled back: a late query must not open another. */
  finished?: boolean;
}

export const requestContext = new AsyncLocalStorage<RequestStore>();

export function currentStore(): RequestStore | undefined {
  return requestContext.getStore();
}

/** The authenticated caller of this request (set by the auth guard). */
export function currentPrincipal(): Principal {
  const p = currentStore()?.principal;
  if (!p) throw new Error('no authenticated principal in this context');
  return p;
}
