import { Injectable } from '@nestjs/common';
import { Db } from '../tenancy/db.service';

export interface PlatformStats {
  activeTenants: number;
  activeUsers: number;
  membersPerTenant: number[];
}

/**
 * Counts across tenants for /metrics, through app_platform_stats() (migration
 * 002), which answers aggregates and never a tenant's rows.
 */
@Injectable()
export class PlatformStatsRepository {
  constructor(private readonly db: Db) {}

  async read(): Promise<PlatformStats> {
    const [row] = await this.db.query<{
      active_tenants: string;
      active_users: string;
      members_per_tenant: number[];
    }>('SELECT * FROM app_platform_stats()');
    return {
      activeTenants: Number(row.active_tenants),
      activeUsers: Number(row.active_users),
      membersPerTenant: row.members_per_tenant,
    };
  }
}
