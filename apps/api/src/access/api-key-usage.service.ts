import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Db } from '../tenancy/db.service';
import { ApiKeysRepository, KeyUse } from './api-keys.repository';

const FLUSH_MS = 10_000;

/**
 * When each API key was last used. A request only notes it in memory; every
 * 10 s (and on a graceful stop) one UPDATE per tenant writes the notes, in
 * that tenant's transaction. A write per request would put a row lock and a
 * WAL record on every call, and would fail on a read replica; a crash loses
 * at most 10 s of "last used", which is a hint, not an audit trail.
 */
@Injectable()
export class ApiKeyUsage implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly log = new Logger('ApiKeyUsage');
  /** tenant id -> key id -> last use seen here */
  private pending = new Map<string, Map<string, string>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly keys: ApiKeysRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  record(tenantId: string, keyId: string): void {
    let keys = this.pending.get(tenantId);
    if (!keys) this.pending.set(tenantId, (keys = new Map()));
    keys.set(keyId, new Date().toISOString());
  }

  /** Writes this tenant's notes in the current (its own) transaction, e.g. before listing its keys. */
  async flushCurrentTenant(): Promise<void> {
    const tenantId = this.db.tenantId();
    const uses = this.take(tenantId);
    if (!uses) return;
    try {
      await this.keys.markUsed(uses);
    } catch (e) {
      this.putBack(tenantId, uses);
      throw e;
    }
  }

  async flush(): Promise<void> {
    for (const tenantId of [...this.pending.keys()]) {
      const uses = this.take(tenantId);
      if (!uses) continue;
      try {
        await this.db.transaction({ tenantId }, () => this.keys.markUsed(uses));
      } catch (e) {
        // kept for the next flush rather than lost
        this.putBack(tenantId, uses);
        this.log.warn(`API key use not recorded for a tenant: ${(e as Error).message}`);
      }
    }
  }

  private take(tenantId: string): KeyUse[] | undefined {
    const keys = this.pending.get(tenantId);
    if (!keys) return undefined;
    this.pending.delete(tenantId);
    return [...keys].map(([id, at]) => ({ id, at }));
  }

  private putBack(tenantId: string, uses: KeyUse[]): void {
    let keys = this.pending.get(tenantId);
    if (!keys) this.pending.set(tenantId, (keys = new Map()));
    // a later use noted meanwhile wins
    for (const u of uses) if (!keys.has(u.id)) keys.set(u.id, u.at);
  }
}
