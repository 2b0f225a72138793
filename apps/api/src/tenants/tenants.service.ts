import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateTenantRequest,
  ResolvedTenant,
  SwitchTenantResponse,
  Tenant,
  TenantConfig,
  TenantList,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from '@acc/contracts';
import { TokenService } from '../access/token.service';
import { encodeCursor } from '../common/pagination';
import { RedisCache } from '../redis/redis-cache.service';
import { Db } from '../tenancy/db.service';
import { currentPerson, currentPrincipal } from '../tenancy/request-context';
import { UsersRepository } from '../users/users.repository';
import { TenantsRepository } from './tenants.repository';
import { diff, given } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

const DOMAIN_TTL_SECONDS = 300;
const domainKey = (host: string) => `tenant-domain:${host}`;

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: Db,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly cache: RedisCache,
    private readonly audit: AuditService,
  ) {}

  /**
   * The caller's active memberships, newest first on (membership created_at,
   * tenant id) like every other list; the cursor is that membership's keyset.
   */
  async list(limit: number, cursor?: string): Promise<TenantList> {
    const rows = await this.tenants.ofUser({ limit, cursor });
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      data: rows.slice(0, limit).map(({ tenant, role }) => ({ tenant, role })),
      nextCursor: last ? encodeCursor({ ts: last._ts, id: last.tenant.id }) : null,
    };
  }

  /** Public: the active tenant serving a host name (console sign-in on a custom domain). */
  async resolveDomain(host: string): Promise<ResolvedTenant> {
    const cached = await this.cache.get<ResolvedTenant>(domainKey(host));
    if (cached) return cached;
    const t = await this.db.transaction({ host }, () => this.tenants.findActiveByDomain(host));
    if (!t) throw new NotFoundException('no tenant serves this domain');
    await this.cache.set(domainKey(host), t, DOMAIN_TTL_SECONDS);
    return t;
  }

  async current(): Promise<Tenant> {
    const t = await this.tenants.find(currentPrincipal().tenantId);
    if (!t) throw new NotFoundException('tenant not found');
    return t;
  }

  async update(body: UpdateTenantRequest): Promise<Tenant> {
    const before = await this.current();
    if (body.name === undefined && body.domain === undefined) return before;
    const t = await this.tenants.update(before.id, body);
    if (!t) throw new NotFoundException('tenant not found');
    await this.audit.record({
      action: 'tenant.updated',
      resourceType: 'tenant',
      resourceId: t.id,
      changes: diff(before, t, given(body)),
    });
    // every instance reads the new name and domain on its next lookup
    await this.cache.del(
      ...[before.domain, t.domain].filter((d): d is string => !!d).map(domainKey),
    );
    return t;
  }

  /**
   * Another workspace with the caller as its owner, as signup makes one (the
   * tenant, its configuration, the membership), in a transaction of its own
   * scoped to the new tenant; the answer is a token for it, as a switch's.
   * Its audit log opens with the creation, by the caller.
   */
  async create(body: CreateTenantRequest): Promise<SwitchTenantResponse> {
    const { userId } = currentPerson();
    const tenantId = randomUUID();
    return this.db.transaction({ tenantId, userId }, async () => {
      const tenant = await this.tenants.insertWithFreeSlug(tenantId, body.name);
      await this.tenants.insertConfig({ tenantId });
      await this.users.addMember(userId, 'owner', 'active');
      const ver = await this.users.switchTenant(userId, tenantId);
      await this.audit.recordFor(
        tenantId,
        { id: userId, fullName: null },
        {
          action: 'tenant.created',
          resourceType: 'tenant',
          resourceId: tenantId,
          changes: { name: [null, tenant.name], slug: [null, tenant.slug] },
        },
      );
      const issued = this.tokens.issue({ sub: userId, tid: tenantId, role: 'owner', ver });
      return { ...issued, tenant, role: 'owner' as const };
    });
  }

  /** A new token for another tenant of the caller; 404 when they are not an active member there. */
  async switchTo(tenantId: string): Promise<SwitchTenantResponse> {
    const p = currentPerson();
    const target = (await this.tenants.ofUser()).find((m) => m.tenant.id === tenantId);
    if (!target) throw new NotFoundException('tenant not found');
    const ver = await this.users.switchTenant(p.userId, tenantId);
    const issued = this.tokens.issue({ sub: p.userId, tid: tenantId, role: target.role, ver });
    return { ...issued, tenant: target.tenant, role: target.role };
  }

  async config(): Promise<TenantConfig> {
    const c = await this.tenants.config();
    if (!c) throw new NotFoundException('tenant configuration not found');
    return c;
  }

  async putConfig(body: UpdateTenantConfigRequest): Promise<TenantConfig> {
    const before = await this.tenants.config();
    const c = await this.tenants.putConfig(body);
    if (!c) throw new NotFoundException('tenant configuration not found');
    await this.audit.record({
      action: 'settings.updated',
      resourceType: 'tenant_config',
      resourceId: currentPrincipal().tenantId,
      changes: diff(before, c),
    });
    return c;
  }
}
