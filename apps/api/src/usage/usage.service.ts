import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type { TenantUsage } from '@acc/contracts';
import { MetricsService } from '../metrics/metrics.service';
import { Db } from '../tenancy/db.service';
import { UsageRepository } from './usage.repository';

const FLUSH_MS = 10_000;

/**
 * API calls per tenant and day. Counting in memory and flushing every few
 * seconds (one upsert per active tenant, each in that tenant's transaction)
 * keeps a database write off every request's path.
 */
@Injectable()
export class UsageService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly log = new Logger('Usage');
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly usage: UsageRepository,
    private readonly metrics: MetricsService,
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

  record(tenantId: string): void {
    this.pending.set(tenantId, (this.pending.get(tenantId) ?? 0) + 1);
    this.metrics.apiCalls.inc();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const day = new Date().toISOString().slice(0, 10);
    for (const [tenantId, calls] of batch) {
      try {
        await this.db.transaction({ tenantId }, () => this.usage.add(day, calls));
      } catch (e) {
        // keep the count for the next flush rather than lose it
        this.pending.set(tenantId, (this.pending.get(tenantId) ?? 0) + calls);
        this.log.warn(`usage not flushed for a tenant: ${(e as Error).message}`);
      }
    }
  }

  async lastDays(days: number): Promise<TenantUsage> {
    await this.flush();
    return { data: await this.usage.lastDays(days) };
  }
}
