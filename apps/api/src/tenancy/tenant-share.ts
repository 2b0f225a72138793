import { ServiceUnavailableException } from '@nestjs/common';

interface Waiter {
  /** arrival order: the earliest admissible waiter is admitted first */
  seq: number;
  grant: () => void;
  timer: NodeJS.Timeout;
}

interface Holding {
  held: number;
  waiting: Waiter[];
}

/** What a tenant's queued request answers once its wait has run out (503, like a full pool). */
export class TenantShareTimeoutError extends ServiceUnavailableException {
  constructor() {
    super({
      message: "this workspace's other requests hold its share of the database: retry shortly",
      retryAfter: 1,
    });
  }
}

/** What a request answers when every connection of the pool stayed busy for its whole wait. */
export class PoolBusyError extends ServiceUnavailableException {
  constructor() {
    super({ message: 'the database is busy: retry shortly', retryAfter: 1 });
  }
}

/** A transaction's place in the pool, given back once. */
export interface Slot {
  /** gives the place (and the tenant's share of it) back; twice is once */
  release(): void;
  /** counts the place in this tenant's share from now on: false, and nothing changed, when the share is full */
  moveTo(tenantId: string): boolean;
}

/** The key of transactions that name no tenant: they take a place in the pool, with no share to respect. */
const NO_TENANT = '';

/**
 * Admission to the pool: at most `poolMax` transactions hold a connection at
 * once, at most `max` of them per tenant. A transaction that has to wait is
 * admitted in order of arrival among those whose tenant is under its share:
 * a tenant's further transactions queue behind its own (for at most waitMs)
 * and never take the rest of the pool from the others, and one that waited
 * for its share is not sent to the back of the pool's queue afterwards (it
 * waited once, in its place). In front of the pool, so that it holds for
 * the embedded database too, whose connections all share one session.
 */
export class TenantShare {
  private readonly tenants = new Map<string, Holding>();
  /** keys with transactions waiting */
  private readonly queued = new Set<string>();
  private inUse = 0;
  private arrivals = 0;

  constructor(
    readonly max: number,
    readonly poolMax: number,
    private readonly waitMs: number,
  ) {}

  /** Resolves with a place in the pool once one is free for this tenant (none: no share applies); rejects with a 503 after waitMs. */
  acquire(tenantId: string = NO_TENANT): Promise<Slot> {
    const h = this.holding(tenantId);
    // Nothing waiting can be admitted while places are free (admit ran when they were freed): no one is passed.
    if (this.admissible(tenantId, h)) return Promise.resolve(this.take(tenantId, h));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        seq: this.arrivals++,
        grant: () => resolve(this.take(tenantId, h)),
        timer: setTimeout(() => {
          h.waiting.splice(h.waiting.indexOf(waiter), 1);
          if (h.waiting.length === 0) this.queued.delete(tenantId);
          const ownShare = h.held >= this.limit(tenantId);
          this.forget(tenantId, h);
          reject(ownShare ? new TenantShareTimeoutError() : new PoolBusyError());
        }, this.waitMs),
      };
      h.waiting.push(waiter);
      this.queued.add(tenantId);
    });
  }

  /** For /health and /metrics: tenants holding their whole share, and transactions queued behind them. */
  stats(): { tenantsAtShare: number; waiting: number } {
    let tenantsAtShare = 0;
    let waiting = 0;
    for (const [key, h] of this.tenants) {
      if (h.held < this.limit(key)) continue;
      tenantsAtShare++;
      waiting += h.waiting.length;
    }
    return { tenantsAtShare, waiting };
  }

  /** For /health and /metrics: transactions waiting for any place in the pool (their tenant has room). */
  waitingForPool(): number {
    let n = 0;
    for (const key of this.queued) {
      const h = this.tenants.get(key) as Holding;
      if (h.held < this.limit(key)) n += h.waiting.length;
    }
    return n;
  }

  private holding(key: string): Holding {
    let h = this.tenants.get(key);
    if (!h) {
      h = { held: 0, waiting: [] };
      this.tenants.set(key, h);
    }
    return h;
  }

  private limit(key: string): number {
    return key === NO_TENANT ? Infinity : this.max;
  }

  private admissible(key: string, h: Holding): boolean {
    return this.inUse < this.poolMax && h.held < this.limit(key);
  }

  private take(key: string, h: Holding): Slot {
    h.held++;
    this.inUse++;
    let holding = h;
    let heldAs = key;
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        holding.held--;
        this.inUse--;
        this.forget(heldAs, holding);
        this.admit();
      },
      moveTo: (tenantId) => {
        if (done) return false;
        if (tenantId === heldAs) return true;
        const to = this.holding(tenantId);
        if (to.held >= this.limit(tenantId)) {
          this.forget(tenantId, to);
          return false;
        }
        to.held++;
        holding.held--;
        this.forget(heldAs, holding);
        [holding, heldAs] = [to, tenantId];
        this.admit(); // the tenant it was counted for may have room now
        return true;
      },
    };
  }

  /** Admits waiters while places are free: each time the earliest of those whose tenant is under its share. */
  private admit(): void {
    while (this.inUse < this.poolMax && this.queued.size > 0) {
      let first: { key: string; h: Holding } | undefined;
      for (const key of this.queued) {
        const h = this.tenants.get(key) as Holding;
        if (h.held >= this.limit(key)) continue;
        if (!first || h.waiting[0].seq < first.h.waiting[0].seq) first = { key, h };
      }
      if (!first) return;
      const next = first.h.waiting.shift() as Waiter;
      if (first.h.waiting.length === 0) this.queued.delete(first.key);
      clearTimeout(next.timer);
      next.grant();
    }
  }

  private forget(key: string, h: Holding): void {
    if (h.held === 0 && h.waiting.length === 0) this.tenants.delete(key);
  }
}
