import { Injectable } from '@nestjs/common';
import type { IntegrationProvider } from '@acc/contracts';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { IntegrationEntity } from './integration.entity';

export type IntegrationRow = Pick<
  IntegrationEntity,
  'provider' | 'lastEventAt' | 'createdAt' | 'updatedAt'
>;

/** Every statement on the integrations table, on the request's tenant transaction. */
@Injectable()
export class IntegrationsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<IntegrationEntity> {
    return this.db.sql(IntegrationEntity, 'i');
  }

  async list(): Promise<IntegrationRow[]> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(IntegrationEntity, 'i')
      .select(this.e.selectList())
      .where('i.tenant_id = :tenantId', { tenantId: this.db.tenantId() })
      .orderBy('i.provider')
      .getRawMany<IntegrationRow>();
  }

  /** The sealed secret of this tenant's integration with a provider. */
  async secretBox(provider: IntegrationProvider): Promise<Buffer | undefined> {
    const m = await this.db.manager();
    const row = await m
      .createQueryBuilder(IntegrationEntity, 'i')
      .select('i.secret_box', 'secretBox')
      .where('i.tenant_id = :tenantId AND i.provider = :provider', {
        tenantId: this.db.tenantId(),
        provider,
      })
      .getRawOne<{ secretBox: Buffer }>();
    return row?.secretBox;
  }

  /** Sets (or replaces) the sealed secret; a replaced secret keeps its last event time. */
  async upsert(provider: IntegrationProvider, secretBox: Buffer, userId: string): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .insert()
      .into(IntegrationEntity)
      .values({
        tenantId: this.db.tenantId(),
        provider,
        secretBox,
        updatedBy: userId,
      } as Writable<IntegrationEntity>)
      .orUpdate(['secret_box', 'updated_by'], ['tenant_id', 'provider'])
      .updateEntity(false)
      .execute();
  }

  /**
   * To the minute: a row updated on every event would be locked until each
   * event's transaction ends, and one provider's events for the tenant would
   * wait on each other; a row whose time is recent is neither written nor locked.
   */
  async touchLastEvent(provider: IntegrationProvider): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .update(IntegrationEntity)
      .set({ lastEventAt: () => 'now()' })
      .where('tenant_id = :tenantId AND provider = :provider', {
        tenantId: this.db.tenantId(),
        provider,
      })
      .andWhere(`(last_event_at IS NULL OR last_event_at < now() - interval '1 minute')`)
      .execute();
  }
}
