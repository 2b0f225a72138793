import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseService } from '../database/database.service';

const PING_TIMEOUT_MS = 1_500;

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly database: DatabaseService,
  ) {}

  /**
   * A tenant transaction through the pool, as requests run it, with a
   * deadline: a dead server must not hang the check, and a pool that answers
   * SELECT 1 but whose tenant transactions fail (a role or grant gone) is
   * not healthy.
   */
  async check(key = 'database') {
    const session = this.health.check(key);
    const pool = this.database.pool;
    const started = Date.now();
    const stats = {
      embedded: this.database.embeddedMode,
      pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
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
