import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  ResolvedTenant,
  Role,
  SwitchTenantResponse,
  Tenant,
  TenantConfig,
  TenantList,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from '@acc/contracts';
import { AuthService } from '../auth/auth.service';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import { pgCode } from '../common/sql';
import { RedisCache } from '../redis/redis-cache.service';
import { TokenService } from '../auth/token.service';
import { Db } from '../tenancy/db.service';
import { currentPrincipal } from '../tenancy/request-context';
import { TENANT_COLUMNS } from './tenant.sql';

const CONFIG_COLUMNS = `timezone, calling_window_start AS "callingWindowStart",
  calling_window_end AS "callingWindowEnd", calling_days::int[] AS "callingDays",
  default_agent_id AS "defaultAgentId", max_concurrent_calls AS "maxConcurrentCalls",
  recording_enabled AS "recordingEnabled", webhook_url AS "webhookUrl", settings,
  updated_at AS "updatedAt"`;

const DOMAIN_TTL_SECONDS = 300;
const domainKey = (host: string) => `tenant-domain:${host}`;

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly cache: RedisCache,
  ) {}

  /**
   * The caller's active memberships, newest first on (membership created_at,
   * tenant id) like every other list; the cursor is that membership's keyset.
   */
  async list(limit: number, cursor?: string): Promise<TenantList> {
    const where = new Where()
      .add(`tu.user_id = ? AND tu.status = 'active' AND t.status = 'active'`, this.db.userId())
      .after('tu', decodeCursor(cursor), 'tenant_id');
    const rows = await this.db.query<Tenant & { role: Role; _ts: string }>(
      `SELECT ${TENANT_COLUMNS}, tu.role, ${keysetTs('tu')}
         FROM tenant_users tu JOIN tenants t ON t.id = tu.tenant_id
         ${where} ORDER BY tu.created_at DESC, tu.tenant_id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    const page = toPage(rows, limit);
    return {
      data: page.data.map(({ role, ...tenant }) => ({ tenant, role })),
      nextCursor: page.nextCursor,
    };
  }

  /** Public: the active tenant serving a host name (console sign-in on a custom domain). */
  async resolveDomain(host: string): Promise<ResolvedTenant> {
    const cached = await this.cache.get<ResolvedTenant>(domainKey(host));
    if (cached) return cached;
    const [t] = await this.db.transaction({ host }, () =>
      this.db.query<Pick<Tenant, 'id' | 'name' | 'slug'>>(
        `SELECT id, name, slug FROM tenants WHERE domain = $1 AND status = 'active'`,
        [host],
      ),
    );
    if (!t) throw new NotFoundException('no tenant serves this domain');
    await this.cache.set(domainKey(host), t, DOMAIN_TTL_SECONDS);
    return t;
  }

  async current(): Promise<Tenant> {
    const [t] = await this.db.query<Tenant>(
      `SELECT ${TENANT_COLUMNS} FROM tenants t WHERE t.id = $1`,
      [this.db.tenantId()],
    );
    if (!t) throw new NotFoundException('tenant not found');
    return t;
  }

  async update(body: UpdateTenantRequest): Promise<Tenant> {
    const before = await this.current();
    const [t] = await this.db
      .query<Tenant>(
        `UPDATE tenants t SET
            name = coalesce($2, t.name),
            domain = CASE WHEN $3::boolean THEN $4 ELSE t.domain END
          WHERE t.id = $1 RETURNING ${TENANT_COLUMNS}`,
        [this.db.tenantId(), body.name ?? null, body.domain !== undefined, body.domain ?? null],
      )
      .catch((e) => {
        if (pgCode(e) === '23505')
          throw new ConflictException('this domain is already used by another tenant');
        throw e;
      });
    if (!t) throw new NotFoundException('tenant not found');
    // every instance reads the new name and domain on its next lookup
    await this.cache.del(
      ...[before.domain, t.domain].filter((d): d is string => !!d).map(domainKey),
    );
    return t;
  }

  /** A new token for another tenant of the caller; 404 when they are not an active member there. */
  async switchTo(tenantId: string): Promise<SwitchTenantResponse> {
    const p = currentPrincipal();
    const target = (await this.auth.memberships()).find((m) => m.tenant.id === tenantId);
    if (!target) throw new NotFoundException('tenant not found');
    const [u] = await this.db.query<{ tokenVersion: number }>(
      `UPDATE users SET current_tenant_id = $2 WHERE id = $1 RETURNING token_version AS "tokenVersion"`,
      [p.userId, tenantId],
    );
    const issued = this.tokens.issue({
      sub: p.userId,
      tid: tenantId,
      role: target.role,
      ver: u.tokenVersion,
    });
    return { ...issued, tenant: target.tenant, role: target.role };
  }

  async config(): Promise<TenantConfig> {
    const [c] = await this.db.query<TenantConfig>(
      `SELECT ${CONFIG_COLUMNS} FROM tenant_configs WHERE tenant_id = $1`,
      [this.db.tenantId()],
    );
    if (!c) throw new NotFoundException('tenant configuration not found');
    return c;
  }

  async putConfig(body: UpdateTenantConfigRequest): Promise<TenantConfig> {
    const [c] = await this.db
      .query<TenantConfig>(
        `UPDATE tenant_configs SET timezone = $2, calling_window_start = $3, calling_window_end = $4,
                calling_days = $5::smallint[], default_agent_id = $6, max_concurrent_calls = $7,
                recording_enabled = $8, webhook_url = $9, settings = $10::jsonb
          WHERE tenant_id = $1
            -- the contract checks the zone against Node's database; stats convert with PostgreSQL's
            AND (now() AT TIME ZONE $2) IS NOT NULL
          RETURNING ${CONFIG_COLUMNS}`,
        [
          this.db.tenantId(),
          body.timezone,
          body.callingWindowStart,
          body.callingWindowEnd,
          body.callingDays,
          body.defaultAgentId,
          body.maxConcurrentCalls,
          body.recordingEnabled,
          body.webhookUrl,
          JSON.stringify(body.settings ?? {}),
        ],
      )
      .catch((e) => {
        // tenant-qualified foreign key: another tenant's agent is as unknown as a missing one
        if (pgCode(e) === '23503') {
          throw new NotFoundException('defaultAgentId: agent not found');
        }
        if (pgCode(e) === '22023') {
          throw new BadRequestException([`timezone: unknown to the database: ${body.timezone}`]);
        }
        throw e;
      });
    if (!c) throw new NotFoundException('tenant configuration not found');
    return c;
  }
}
