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
        await this.db.transaction({ tenantId }, () =>
          this.db.query(
            `INSERT INTO api_usage (tenant_id, day, api_calls) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, day) DO UPDATE SET api_calls = api_usage.api_calls + EXCLUDED.api_calls`,
            [tenantId, day, calls],
          ),
        );
      } catch (e) {
        // keep the count for the next flush rather than lose it
        this.pending.set(tenantId, (this.pending.get(tenantId) ?? 0) + calls);
        this.log.warn(`usage not flushed for a tenant: ${(e as Error).message}`);
      }
    }
  }

  async usage(days: number): Promise<TenantUsage> {
    await this.flush();
    const rows = await this.db.query<{ day: string; apiCalls: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, api_calls AS "apiCalls" FROM api_usage
        WHERE tenant_id = $1 AND day > current_date - $2::int ORDER BY day DESC`,
      [this.db.tenantId(), days],
    );
    return { data: rows.map((r) => ({ day: r.day, apiCalls: Number(r.apiCalls) })) };
  }
}
