import { Injectable } from '@nestjs/common';
import type { TenantUsage } from '@acc/contracts';
import { Db } from '../tenancy/db.service';

/** Every statement on api_usage, on the current tenant's transaction. */
@Injectable()
export class UsageRepository {
  constructor(private readonly db: Db) {}

  async add(day: string, calls: number): Promise<void> {
    await this.db.query(
      `INSERT INTO api_usage (tenant_id, day, api_calls) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, day) DO UPDATE SET api_calls = api_usage.api_calls + EXCLUDED.api_calls`,
      [this.db.tenantId(), day, calls],
    );
  }

  async lastDays(days: number): Promise<TenantUsage['data']> {
    const rows = await this.db.query<{ day: string; apiCalls: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, api_calls AS "apiCalls" FROM api_usage
        WHERE tenant_id = $1 AND day > current_date - $2::int ORDER BY day DESC`,
      [this.db.tenantId(), days],
    );
    return rows.map((r) => ({ day: r.day, apiCalls: Number(r.apiCalls) }));
  }
}
