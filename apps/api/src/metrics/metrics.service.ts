import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DatabaseService } from '../database/database.service';
import { Db } from '../tenancy/db.service';
import { PlatformStatsRepository } from './platform-stats.repository';

const PLATFORM_REFRESH_MS = 60_000;

/**
 * Prometheus metrics. Labels stay bounded: routes are templates
 * (/api/v1/leads/:id), never raw URLs or tenant ids; per-tenant figures live
 * in the database (GET /api/v1/tenant/usage), the distribution of members
 * per tenant is a histogram.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly log = new Logger('Metrics');
  readonly registry = new Registry();
  private platformAt = 0;

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'http_errors_total',
    help: 'HTTP responses with a 5xx status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly apiCalls = new Counter({
    name: 'acc_api_calls_total',
    help: 'Authenticated API calls (per tenant and day in GET /api/v1/tenant/usage)',
    registers: [this.registry],
  });
  private readonly activeTenants = new Gauge({
    name: 'acc_active_tenants',
    help: 'Tenants with status active',
    registers: [this.registry],
  });
  private readonly activeUsers = new Gauge({
    name: 'acc_active_users',
    help: 'Users with at least one active membership',
    registers: [this.registry],
  });
  private readonly members = new Histogram({
    name: 'acc_tenant_members',
    help: 'Active members per tenant',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250],
    registers: [this.registry],
  });

  constructor(
    private readonly database: DatabaseService,
    private readonly db: Db,
    private readonly platform: PlatformStatsRepository,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => this.database.pool;
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge('db_pool_size', 'Connections open in the pool', () => pool().totalCount);
    gauge(
      'db_pool_in_use',
      'Connections checked out of the pool',
      () => pool().totalCount - pool().idleCount,
    );
    gauge(
      'db_pool_waiting',
      'Requests waiting for a connection',
      () => pool().waitingCount + this.db.tenantShare.waitingForPool(),
    );
    gauge('db_pool_max', 'Pool size limit', () => (pool().options as { max?: number }).max ?? 0);
  }

  async render(): Promise<string> {
    await this.refreshPlatform();
    return this.registry.metrics();
  }

  /** Cross-tenant counts, refreshed at most once a minute (a scrape must stay cheap). */
  private async refreshPlatform(): Promise<void> {
    if (Date.now() - this.platformAt < PLATFORM_REFRESH_MS) return;
    this.platformAt = Date.now();
    try {
      const row = await this.db.transaction({ purpose: 'metrics' }, () => this.platform.read());
      this.activeTenants.set(row.activeTenants);
      this.activeUsers.set(row.activeUsers);
      this.members.reset();
      for (const n of row.membersPerTenant) this.members.observe(n);
    } catch (e) {
      this.log.warn(`platform figures not refreshed: ${(e as Error).message}`);
    }
  }
}
