import { randomBytes } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  ResolvedTenant,
  Role,
  Tenant,
  TenantConfig,
  TenantMembership,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from '@acc/contracts';
import { Where, decodeCursor, keysetTs } from '../common/pagination';
import { pgCode } from '../common/sql';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { TenantConfigEntity } from './tenant-config.entity';
import { TenantEntity } from './tenant.entity';
import { slugify } from './slug';

/** Every statement on tenants and tenant_configs, on the current transaction. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly db: Db) {}

  private get t(): EntitySql<TenantEntity> {
    return this.db.sql(TenantEntity, 't');
  }

  private get cfg(): EntitySql<TenantConfigEntity> {
    return this.db.sql(TenantConfigEntity, 'cfg');
  }

  /** The new tenant, or undefined when its slug is taken. */
  async insert(id: string, name: string, slug: string): Promise<Tenant | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(TenantEntity)
      .values({ id, name, slug })
      .orIgnore()
      .returning(this.t.selectList({ qualified: false }))
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /** Inserts the tenant under a unique slug (the name's slug, suffixed when taken). */
  async insertWithFreeSlug(id: string, name: string): Promise<Tenant> {
    const base = slugify(name);
    for (let attempt = 0; attempt < 8; attempt++) {
      const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
      const tenant = await this.insert(id, name, slug);
      if (tenant) return tenant;
    }
    throw new ConflictException('could not find a free slug for this tenant name');
  }

  async find(id: string): Promise<Tenant | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(TenantEntity, 't')
      .select(this.t.selectList())
      .where('t.id = :id', { id })
      .getRawOne<Tenant>();
  }

  /** The active tenant serving a host name (visible under the app.host setting only). */
  async findActiveByDomain(host: string): Promise<ResolvedTenant | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(TenantEntity, 't')
      .select(['t.id AS id', 't.name AS name', 't.slug AS slug'])
      .where(`t.domain = :host AND t.status = 'active'`, { host })
      .getRawOne<ResolvedTenant>();
  }

  /** A taken domain -> 409. */
  async update(id: string, patch: UpdateTenantRequest): Promise<Tenant | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(TenantEntity)
      .set(patch)
      .where('id = :id', { id })
      .returning(this.t.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch((e) => {
        if (pgCode(e) === '23505')
          throw new ConflictException('this domain is already used by another tenant');
        throw e;
      });
    return r.raw[0];
  }

  /**
   * The caller's active memberships with their tenants (RLS: own_memberships
   * and member_tenants), newest membership first, one keyset page; or all of
   * them by name.
   */
  async ofUser(page?: {
    cursor?: string;
    limit: number;
  }): Promise<Array<TenantMembership & { _ts: string }>> {
    const where = new Where()
      .add(`tu.user_id = ? AND tu.status = 'active' AND t.status = 'active'`, this.db.userId())
      .after('tu', decodeCursor(page?.cursor), 'tenant_id');
    const order = page
      ? `tu.created_at DESC, tu.tenant_id DESC LIMIT ${where.param(page.limit + 1)}`
      : 't.name, t.id';
    const rows = await this.db.query<Tenant & { role: Role; _ts: string }>(
      `SELECT ${this.t.selectList()}, tu.role, ${keysetTs('tu')}
         FROM tenant_users tu JOIN tenants t ON t.id = tu.tenant_id
         ${where} ORDER BY ${order}`,
      where.params,
    );
    return rows.map(({ role, _ts, ...tenant }) => ({ tenant, role, _ts }));
  }

  async insertConfig(values: Partial<TenantConfigEntity> & { tenantId: string }): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .insert()
      .into(TenantConfigEntity)
      .values(values as Writable<TenantConfigEntity>)
      .execute();
  }

  async config(): Promise<TenantConfig | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(TenantConfigEntity, 'cfg')
      .select(this.cfg.selectList())
      .where('cfg.tenant_id = :tenantId', { tenantId: this.db.tenantId() })
      .getRawOne<TenantConfig>();
  }

  /** Another tenant's (or no) default agent -> 404; a zone PostgreSQL does not know -> 400. */
  async putConfig(body: UpdateTenantConfigRequest): Promise<TenantConfig | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(TenantConfigEntity)
      .set({
        ...body,
        settings: body.settings ?? {},
        // absent: kept as it is
        auditRetentionDays: body.auditRetentionDays ?? (() => 'audit_retention_days'),
      } as Writable<TenantConfigEntity>)
      .where('tenant_id = :tenantId', { tenantId: this.db.tenantId() })
      // the contract checks the zone against Node's database; stats convert with PostgreSQL's
      .andWhere('(now() AT TIME ZONE :timezone) IS NOT NULL', { timezone: body.timezone })
      .returning(this.cfg.selectList({ qualified: false }))
      .updateEntity(false)
      .execute()
      .catch((e) => {
        // tenant-qualified foreign key: another tenant's agent is as unknown as a missing one
        if (pgCode(e) === '23503') throw new NotFoundException('defaultAgentId: agent not found');
        if (pgCode(e) === '22023')
          throw new BadRequestException([`timezone: unknown to the database: ${body.timezone}`]);
        throw e;
      });
    return r.raw[0];
  }

  /** The tenant's dialer, its sealed secret included (never answered as is). */
  async dialer(): Promise<DialerRow | undefined> {
    const [row] = await this.db.query<DialerRow>(
      `SELECT dialer AS type, caller_id AS "callerId", dialer_url AS url, dialer_secret AS secret,
              dialer_options AS options
         FROM tenant_configs WHERE tenant_id = $1`,
      [this.db.tenantId()],
    );
    return row;
  }

  /** `secret` undefined keeps the one stored. */
  async putDialer(d: Omit<DialerRow, 'secret'> & { secret?: Buffer | null }): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .update(TenantConfigEntity)
      .set({
        dialer: d.type,
        callerId: d.callerId,
        dialerUrl: d.url,
        dialerOptions: d.options,
        ...(d.secret !== undefined && { dialerSecret: d.secret }),
      } as Writable<TenantConfigEntity>)
      .where('tenant_id = :tenantId', { tenantId: this.db.tenantId() })
      .execute();
  }
}

/** The dialer columns of tenant_configs. */
export interface DialerRow {
  type: string;
  callerId: string | null;
  url: string | null;
  secret: Buffer | null;
  options: Record<string, unknown>;
}
