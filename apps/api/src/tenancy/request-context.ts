import type { AsyncLocalStorage } from 'node:async_hooks';
import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@acc/contracts';
// nestjs-pino's request store, which its Logger reads
import { storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import type { QueryRunner } from 'typeorm';
import type { PoolClient } from 'pg';
import type { Slot } from './tenant-share';

/** A request's transaction: opening, then open (set once its first statements have run). */
export interface PendingTx {
  opening: Promise<OpenTx>;
  open?: OpenTx;
}

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
  purpose?: 'signup' | 'login' | 'password-reset' | 'metrics' | 'webhook-purge' | 'audit-purge';
  /**
   * SHA-256 of a presented API key: the transaction starts with
   * app_begin_key(), which finds the key and takes its tenant as tenantId.
   */
  apiKeyHash?: Buffer;
}

/** Who a request acts for: a signed-in person, or a workspace API key. */
export type Principal =
  | { kind: 'user'; userId: string; tenantId: string; role: Role }
  | { kind: 'apiKey'; apiKeyId: string; tenantId: string; role: Role };

/** What app_begin_key() answers for a key that exists and has not expired. */
export interface ApiKeyGrant {
  tenantId: string;
  keyId: string;
  role: Role;
}

export interface Membership {
  role: Role;
  status: 'invited' | 'active' | 'disabled';
  tokenVersion: number;
  userActive: boolean;
}

export interface OpenTx {
  /** TypeORM's runner: the transaction's EntityManager, the connection's release */
  runner: QueryRunner;
  /** the runner's pg connection: the transaction's statements go straight to it (Db.send) */
  client: PoolClient;
  membership: Membership | null;
  apiKey: ApiKeyGrant | null;
  /** the transaction's place in the pool and its tenant's share (TenantShare) */
  slot: Slot;
}

/**
 * Who acts when no one signed in does (a job, a provider's event): the audit
 * log's actor for a transaction with no principal. Unset: the system.
 */
export interface ActingAs {
  type: 'integration' | 'system';
  id: string | null;
  name: string;
}

/** The auth guard's refusals, answered the same when a reopened transaction checks the caller again. */
export const TOKEN_REFUSED = 'token is no longer valid';
export const API_KEY_REFUSED = 'invalid, revoked or expired API key';
export const roleRefused = (minRole: Role) => `this action needs the ${minRole} role or higher`;

/** Whether a membership app_begin answered still lets in a token of this version. */
export function membershipAdmits(m: Membership | null, tokenVersion: number): m is Membership {
  return m !== null && m.status === 'active' && m.userActive && m.tokenVersion === tokenVersion;
}

/**
 * What the auth guard checked, so that a transaction the request reopens
 * after Db.commitAndRelease checks its caller again the same way: a person
 * by the membership app_begin returns (still active, the same token
 * version), a key by app_begin_key with its hash (the same key). The role
 * must still reach the route's minRole.
 */
export type CallerCheck =
  | { kind: 'user'; tokenVersion: number; minRole: Role }
  | { kind: 'apiKey'; keyHash: Buffer; keyId: string; minRole: Role };

/** Per-request (or per-`Db.transaction`) state, carried by AsyncLocalStorage. */
export interface RequestStore {
  /** the request's logger (pino-http's, with its id): nestjs-pino's Logger writes through it */
  logger?: Logger;
  requestId?: string;
  /** the client's address (behind TRUST_PROXY, the forwarded one) and its User-Agent */
  ip?: string;
  userAgent?: string;
  actingAs?: ActingAs;
  scope?: TxScope;
  principal?: Principal;
  /** set by the auth guard once it let the caller in; checked by every transaction opened after */
  callerCheck?: CallerCheck;
  tx?: PendingTx;
  readReplica?: boolean;
  /** Set once the transaction has been committed or rolled back: a late query must not open another. */
  finished?: boolean;
}

/**
 * nestjs-pino's AsyncLocalStorage, whose Logger reads `logger` from the
 * store (and falls back to the root logger without one). One storage for
 * both: on Node 20 each storage in use adds work to every promise of the
 * process, whose init hook copies each storage's store onto it
 * (docs/performance.md, issue 17, "Eighth pass").
 */
export const requestContext = storage as unknown as AsyncLocalStorage<RequestStore>;

export function currentStore(): RequestStore | undefined {
  return requestContext.getStore();
}

/** The authenticated caller of this request (set by the auth guard). */
export function currentPrincipal(): Principal {
  const p = currentStore()?.principal;
  if (!p) throw new Error('no authenticated principal in this context');
  return p;
}

/**
 * The signed-in person of this request. Routes that need one are
 * @PeopleOnly(), so an API key never gets here; should one be left
 * unmarked, this refuses (403) rather than act without a person.
 */
export function currentPerson(): Extract<Principal, { kind: 'user' }> {
  const p = currentPrincipal();
  if (p.kind !== 'user') throw new ForbiddenException('this action needs a person, not an API key');
  return p;
}
