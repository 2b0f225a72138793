import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { roleAtLeast } from '@acc/contracts';
import type { QueryResult } from 'pg';
import {
  type EntityManager,
  type EntityTarget,
  type QueryRunner,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
} from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { EntitySql, entitySql } from '../database/entity-sql';
import {
  API_KEY_REFUSED,
  ActingAs,
  ApiKeyGrant,
  CallerCheck,
  Membership,
  OpenTx,
  PendingTx,
  RequestStore,
  TOKEN_REFUSED,
  TxScope,
  currentStore,
  membershipAdmits,
  roleRefused,
  requestContext,
} from './request-context';
import { TenantShare } from './tenant-share';

/** A query was attempted with no scope: a bug, never a reason to run unscoped. */
export class MissingScopeError extends Error {
  constructor(what: string) {
    super(`${what} outside a tenant transaction scope`);
  }
}

export type Row = Record<string, unknown>;

export interface ExecResult<T> {
  rows: T[];
  rowCount: number;
}

const RESOLVED = Promise.resolve();
const ignore = () => undefined;
const rowsOf = (r: QueryResult): unknown[] => (Array.isArray(r.rows) ? r.rows : []);
const execResultOf = (r: QueryResult): ExecResult<unknown> => {
  const rows = rowsOf(r);
  return { rows, rowCount: r.rowCount ?? rows.length };
};

/** Keys whose tenant is remembered for queueing (see beginWithApiKey), oldest forgotten first. */
const KEY_TENANTS_MAX = 10_000;

/**
 * The one way repositories reach the database (services never do). All queries of a request run in a
 * single transaction on one pooled connection; its first statement
 * (app_begin) sets app.tenant_id / app.user_id transaction-locally, so
 * row-level security scopes every statement and nothing outlives the
 * transaction. A query without a scope throws instead of running unscoped.
 */
@Injectable()
export class Db {
  private shareOfPool?: TenantShare;
  /** SHA-256 of a key (hex) -> the tenant app_begin_key last found for it */
  private readonly keyTenants = new Map<string, string>();

  constructor(private readonly database: DatabaseService) {}

  /** Admission to the pool, with each tenant's cap (DATABASE_POOL_TENANT_MAX), made once the pool's settings are known. */
  get tenantShare(): TenantShare {
    this.shareOfPool ??= new TenantShare(
      this.database.tenantPoolMax,
      this.database.poolConnections,
      this.database.poolWaitMs,
    );
    return this.shareOfPool;
  }

  /**
   * Runs fn in a fresh scope and transaction: committed when fn resolves,
   * rolled back if it throws. Inside a request it keeps the request's id,
   * address and user agent (for the audit log), never its principal.
   */
  async transaction<T>(scope: TxScope, fn: () => Promise<T>, actingAs?: ActingAs): Promise<T> {
    const outer = currentStore();
    const store: RequestStore = {
      scope,
      logger: outer?.logger,
      requestId: outer?.requestId,
      ip: outer?.ip,
      userAgent: outer?.userAgent,
      actingAs: actingAs ?? outer?.actingAs,
    };
    return requestContext.run(store, async () => {
      try {
        const result = await fn();
        await this.finish(true);
        return result;
      } catch (e) {
        await this.finish(false);
        throw e;
      }
    });
  }

  /**
   * Enters the current request's scope and opens its transaction right away;
   * returns the caller's membership when the scope names a tenant and a user.
   */
  async begin(scope: TxScope, opts: { readReplica?: boolean } = {}): Promise<Membership | null> {
    const store = currentStore();
    if (!store) throw new MissingScopeError('begin');
    store.scope = scope;
    store.readReplica = opts.readReplica === true;
    return (await this.open(store)).membership;
  }

  /**
   * Enters the current request's scope for the API key with this SHA-256 and
   * opens its transaction: the key is found by the transaction's first
   * statement (app_begin_key), which also makes the key's tenant the
   * transaction's. null when there is no such key or it has expired.
   */
  async beginWithApiKey(
    keyHash: Buffer,
    opts: { readReplica?: boolean } = {},
  ): Promise<ApiKeyGrant | null> {
    const store = currentStore();
    if (!store) throw new MissingScopeError('begin');
    // A key's tenant never changes: once found, the key's next transactions
    // queue on that tenant's share before they take a connection, as a
    // person's do. Only a hint for queueing: app_begin_key still decides.
    const hex = keyHash.toString('hex');
    const known = this.keyTenants.get(hex);
    store.scope = { apiKeyHash: keyHash };
    store.readReplica = opts.readReplica === true;
    const tx = await this.open(store, known);
    const { apiKey } = tx;
    if (!apiKey) {
      this.keyTenants.delete(hex);
      return null;
    }
    store.scope = { tenantId: apiKey.tenantId };
    if (known === apiKey.tenantId) return apiKey;
    this.rememberKeyTenant(hex, apiKey.tenantId);
    // The tenant was unknown (or the hint wrong) when the transaction opened:
    // its place counts in the tenant's share from now on, or, with the share
    // full, it gives its connection back so that the next query queues
    // behind the tenant's own.
    if (!tx.slot.moveTo(apiKey.tenantId)) await this.settle(true, store);
    return apiKey;
  }

  private rememberKeyTenant(hex: string, tenantId: string): void {
    if (this.keyTenants.size >= KEY_TENANTS_MAX) {
      this.keyTenants.delete(this.keyTenants.keys().next().value as string);
    }
    this.keyTenants.set(hex, tenantId);
  }

  query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.statement(sql, params, rowsOf) as Promise<T[]>;
  }

  execute<T = Row>(sql: string, params: unknown[] = []): Promise<ExecResult<T>> {
    return this.statement(sql, params, execResultOf) as Promise<ExecResult<T>>;
  }

  /**
   * A statement in the current transaction, which opens first if it is not
   * open yet. Once it is, one promise per statement rather than the six of
   * layered async functions: on Node 20 each one runs AsyncLocalStorage's
   * promise hooks (docs/performance.md, issue 17, "Eighth pass").
   */
  private statement<R>(sql: string, params: unknown[], shape: (r: QueryResult) => R): Promise<R> {
    const store = currentStore();
    if (!store?.scope) return Promise.reject(new MissingScopeError('query'));
    // finish() clears tx as it sets finished: an open one is never a finished one
    const open = store.tx?.open;
    if (open) return this.send(open, sql, params, shape);
    return this.open(store).then((tx) => this.send(tx, sql, params, shape));
  }

  /** The transaction's EntityManager: the ORM on the same connection, so RLS applies to it too. */
  async manager(): Promise<EntityManager> {
    const store = currentStore();
    if (!store?.scope) throw new MissingScopeError('query');
    return (await this.open(store)).runner.manager;
  }

  /** An entity's generated SQL (select lists, columns), built once. */
  sql<T>(target: EntityTarget<T>, alias: string): EntitySql<T> {
    return entitySql(this.database.dataSource, target, alias);
  }

  /** The active tenant of this transaction; throws when there is none. */
  tenantId(): string {
    const id = currentStore()?.scope?.tenantId;
    if (!id) throw new MissingScopeError('tenant data access');
    return id;
  }

  userId(): string {
    const id = currentStore()?.scope?.userId;
    if (!id) throw new MissingScopeError('user data access');
    return id;
  }

  /**
   * The person this transaction acts as from here on (its row-level
   * security user, the author of what it writes): for a transaction that
   * claims an existing account, such as a re-run of the demo seed.
   */
  async actAs(userId: string): Promise<void> {
    const store = currentStore();
    if (!store?.scope) throw new MissingScopeError('acting as a user');
    await this.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
    store.scope = { ...store.scope, userId };
  }

  /**
   * Commits what the request has done so far and gives its connection back
   * before it waits on its client (an upload arriving, a download being
   * read); its next query opens a new transaction in the same scope.
   */
  async commitAndRelease(): Promise<void> {
    const store = currentStore();
    if (store && !store.finished) await this.settle(true, store);
  }

  /** Commits (or rolls back) and releases the current transaction, if one is open. */
  finish(commit: boolean, store: RequestStore | undefined = currentStore()): Promise<void> {
    if (!store) return RESOLVED;
    store.finished = true;
    return this.settle(commit, store);
  }

  private settle(commit: boolean, store: RequestStore): Promise<void> {
    const pending = store.tx;
    if (!pending) return RESOLVED;
    store.tx = undefined;
    if (pending.open) return this.close(pending.open, commit);
    // never opened: nothing to release
    return pending.opening.then((tx) => this.close(tx, commit), ignore);
  }

  /**
   * Ends the transaction (a failed COMMIT is rolled back and rethrown) and
   * gives its connection and its place in the pool back. TypeORM's release
   * does its work before its promise settles: nothing to wait for.
   */
  private close(tx: OpenTx, commit: boolean): Promise<void> {
    const release = () => {
      tx.runner.release().catch(ignore);
      tx.slot.release();
    };
    if (!commit && !tx.runner.isTransactionActive) {
      release();
      return RESOLVED;
    }
    return this.end(tx, commit ? 'COMMIT' : 'ROLLBACK').then(release, (e: unknown) => {
      if (!commit) return release();
      return this.end(tx, 'ROLLBACK')
        .catch(ignore)
        .then(() => {
          release();
          throw e;
        });
    });
  }

  private open(store: RequestStore, shareOf?: string): Promise<OpenTx> {
    // e.g. a promise left running after its request answered: it would hold a connection forever
    if (store.finished) {
      return Promise.reject(new MissingScopeError('query after the transaction ended'));
    }
    if (!store.tx) {
      const check = store.callerCheck;
      const pending = {} as PendingTx;
      pending.opening = (
        check
          ? this.reopen(store, check)
          : this.start(store.scope as TxScope, store.readReplica === true, shareOf)
      ).then((tx) => (pending.open = tx));
      store.tx = pending;
    }
    return store.tx.opening;
  }

  /**
   * A transaction opened after the guard's own (the request gave its
   * connection back while it waited on its client): its first statement
   * answers who the caller is now, and the caller must still pass the
   * guard's checks, or nothing more runs for it (docs/decisions.md,
   * "Availability").
   */
  private async reopen(store: RequestStore, check: CallerCheck): Promise<OpenTx> {
    const scope = store.scope as TxScope;
    const tx = await this.start(
      check.kind === 'apiKey' ? { ...scope, apiKeyHash: check.keyHash } : scope,
      store.readReplica === true,
    );
    let role;
    if (check.kind === 'apiKey') {
      const key = tx.apiKey;
      if (!key || key.keyId !== check.keyId || key.tenantId !== scope.tenantId) {
        await this.abandon(tx);
        throw new UnauthorizedException(API_KEY_REFUSED);
      }
      role = key.role;
    } else {
      const m = tx.membership;
      if (!membershipAdmits(m, check.tokenVersion)) {
        await this.abandon(tx);
        throw new UnauthorizedException(TOKEN_REFUSED);
      }
      role = m.role;
    }
    if (!roleAtLeast(role, check.minRole)) {
      await this.abandon(tx);
      throw new ForbiddenException(roleRefused(check.minRole));
    }
    // a role raised or lowered within the route's minimum: what runs from here on sees the current one
    if (store.principal) store.principal = { ...store.principal, role };
    return tx;
  }

  private async abandon(tx: OpenTx): Promise<void> {
    await this.end(tx, 'ROLLBACK').catch(() => undefined);
    await tx.runner.release().catch(() => undefined);
    tx.slot.release();
  }

  /** shareOf: the tenant whose share to queue on when the scope names none yet (a known key's). */
  private async start(scope: TxScope, readReplica: boolean, shareOf?: string): Promise<OpenTx> {
    if (!scope.tenantId && !scope.userId && !scope.host && !scope.purpose && !scope.apiKeyHash)
      throw new MissingScopeError('transaction');
    // a place in the pool first, within the tenant's share, in order of arrival
    const slot = await this.tenantShare.acquire(scope.tenantId ?? shareOf);
    const runner = this.database.dataSource.createQueryRunner(readReplica ? 'slave' : 'master');
    let tx: OpenTx | undefined;
    try {
      tx = { runner, client: await runner.connect(), membership: null, apiKey: null, slot };
      await this.send(tx, 'START TRANSACTION');
      setTransactionActive(runner, true);
      if (scope.apiKeyHash) {
        const [k] = (
          await this.send(tx, 'SELECT * FROM app_begin_key($1, $2, $3, $4)', [
            scope.apiKeyHash,
            this.database.switchRole,
            this.database.statementTimeoutMs,
            this.database.idleInTransactionTimeoutMs,
          ])
        ).rows;
        tx.apiKey = k ? { tenantId: k.k_tenant_id, keyId: k.k_id, role: k.k_role } : null;
        return tx;
      }
      const [m] = (
        await this.send(tx, 'SELECT * FROM app_begin($1, $2, $3, $4, $5)', [
          scope.tenantId ?? null,
          scope.userId ?? null,
          this.database.switchRole,
          this.database.statementTimeoutMs,
          this.database.idleInTransactionTimeoutMs,
        ])
      ).rows;
      if (scope.host) {
        await this.send(tx, `SELECT set_config('app.host', $1, true)`, [scope.host]);
      }
      tx.membership = m
        ? {
            role: m['m_role'] as Membership['role'],
            status: m['m_status'] as Membership['status'],
            tokenVersion: m['m_token_version'] as number,
            userActive: m['m_user_active'] as boolean,
          }
        : null;
      return tx;
    } catch (e) {
      if (tx && runner.isTransactionActive) await this.end(tx, 'ROLLBACK').catch(() => undefined);
      await runner.release().catch(() => undefined);
      slot.release();
      throw e;
    }
  }

  /**
   * One statement on the transaction's connection, as TypeORM's runner.query
   * sends it (its logger sees the statement, a failure is its
   * QueryFailedError, a runner released under it refuses), without the
   * runner's broadcaster events around each statement, and with pg's
   * callback rather than its promise (which chains two more): a third of a
   * request's promises, each one a promise hook and garbage
   * (docs/performance.md, issue 17).
   */
  private send(tx: OpenTx, sql: string, params?: unknown[]): Promise<QueryResult>;
  private send<R>(
    tx: OpenTx,
    sql: string,
    params: unknown[] | undefined,
    shape: (r: QueryResult) => R,
  ): Promise<R>;
  private send(
    tx: OpenTx,
    sql: string,
    params?: unknown[],
    shape?: (r: QueryResult) => unknown,
  ): Promise<unknown> {
    const { runner } = tx;
    if (runner.isReleased) return Promise.reject(new QueryRunnerAlreadyReleasedError());
    const logger = this.database.dataSource.logger;
    logger.logQuery(sql, params, runner);
    return new Promise((resolve, reject) => {
      const failed = (e: Error) => {
        logger.logQueryError(e, sql, params, runner);
        reject(new QueryFailedError(sql, params, e));
      };
      try {
        tx.client.query(sql, params ?? [], (e: Error | null, result: QueryResult) =>
          e ? failed(e) : resolve(shape ? shape(result) : result),
        );
      } catch (e) {
        failed(e as Error);
      }
    });
  }

  /** COMMIT or ROLLBACK; a failed COMMIT leaves the transaction marked open, so that it is rolled back */
  private end(tx: OpenTx, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    return this.send(tx, statement, undefined, () => setTransactionActive(tx.runner, false));
  }
}

/**
 * TypeORM's persistence (the transaction's EntityManager) opens a transaction
 * of its own unless the runner says one is open: ours is.
 */
function setTransactionActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}
