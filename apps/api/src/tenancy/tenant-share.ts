import { ServiceUnavailableException } from '@nestjs/common';

interface Waiter {
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

/**
 * At most `max` pooled connections per tenant, counted in this process: a
 * tenant's further transactions queue here, in order, behind its own
 * (for at most waitMs), and never take the rest of the pool from other
 * tenants. In front of the pool, so that it holds for the embedded
 * database too, whose connections all share one session.
 */
export class TenantShare {
  private readonly tenants = new Map<string, Holding>();

  constructor(
    readonly max: number,
    private readonly waitMs: number,
  ) {}

  /** Resolves with the function that gives the slot back; rejects after waitMs in the queue. */
  acquire(tenantId: string): Promise<() => void> {
    let h = this.tenants.get(tenantId);
    if (!h) {
      h = { held: 0, waiting: [] };
      this.tenants.set(tenantId, h);
    }
    const holding = h;
    const release = once(() => this.release(tenantId, holding));
    if (holding.held < this.max) {
      holding.held++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(release),
        timer: setTimeout(() => {
          holding.waiting.splice(holding.waiting.indexOf(waiter), 1);
          this.forget(tenantId, holding);
          reject(new TenantShareTimeoutError());
        }, this.waitMs),
      };
      holding.waiting.push(waiter);
    });
  }

  /** A slot now, or null when the tenant holds its whole share (nothing is queued). */
  tryAcquire(tenantId: string): (() => void) | null {
    const h = this.tenants.get(tenantId) ?? { held: 0, waiting: [] };
    if (h.held >= this.max) return null;
    h.held++;
    this.tenants.set(tenantId, h);
    return once(() => this.release(tenantId, h));
  }

  /** For /health and /metrics: tenants holding their whole share, and transactions queued behind them. */
  stats(): { tenantsAtShare: number; waiting: number } {
    let tenantsAtShare = 0;
    let waiting = 0;
    for (const h of this.tenants.values()) {
      if (h.held >= this.max) tenantsAtShare++;
      waiting += h.waiting.length;
    }
    return { tenantsAtShare, waiting };
  }

  private release(tenantId: string, h: Holding): void {
    const next = h.waiting.shift();
    if (next) {
      // the slot passes straight to the next in line
      clearTimeout(next.timer);
      next.grant();
      return;
    }
    h.held--;
    this.forget(tenantId, h);
  }

  private forget(tenantId: string, h: Holding): void {
    if (h.held === 0 && h.waiting.length === 0) this.tenants.delete(tenantId);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
