import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseService } from '../database/database.service';
import { Db } from '../tenancy/db.service';

const PING_TIMEOUT_MS = 1_500;

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly database: DatabaseService,
    private readonly db: Db,
  ) {}

  /**
   * A tenant transaction, as requests run it, on the check's own connection,
   * with a deadline: a dead server must not hang the check, and a database
   * that answers SELECT 1 but whose tenant transactions fail (a role or
   * grant gone) is not healthy. The pool's figures come with it: every
   * connection in use, or requests waiting for one, is `saturated` (the
   * answer says degraded), which is not the database being down.
   */
  async check(key = 'database') {
    const session = this.health.check(key);
    const pool = this.database.pool;
    const started = Date.now();
    const inUse = pool.totalCount - pool.idleCount;
    const share = this.db.tenantShare;
    // queued for a place in the pool (TenantShare) or, rarely, in the pool itself
    const waiting = pool.waitingCount + share.waitingForPool();
    const stats = {
      embedded: this.database.embeddedMode,
      saturated: waiting > 0 || inUse >= this.database.poolMax,
      pool: { max: this.database.poolMax, inUse, idle: pool.idleCount, waiting },
      tenantShare: { max: share.max, ...share.stats() },
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.database.pingTenantTransaction(PING_TIMEOUT_MS),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS);
        }),
      ]);
      return session.up({ responseTimeMs: Date.now() - started, ...stats });
    } catch (e) {
      return session.down({ message: (e as Error).message, ...stats });
    } finally {
      clearTimeout(timer);
    }
  }
}
