import { Injectable } from '@nestjs/common';
import type { ApiKey, ApiKeyRole, Page } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import type { EntitySql } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { ApiKeyEntity } from './api-key.entity';

/** When a key was last seen by this instance, not yet written. */
export interface KeyUse {
  id: string;
  at: string;
}

/**
 * Every statement on api_keys, on the request's tenant transaction. Finding
 * the key a request presents is not here: it is the first statement of that
 * request's transaction (app_begin_key, through Db.beginWithApiKey).
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<ApiKeyEntity> {
    return this.db.sql(ApiKeyEntity, 'k');
  }

  /** The tenant's keys, newest first, with who created each (users is not tenant data). */
  async page(cursor: string | undefined, limit: number): Promise<Page<ApiKey>> {
    const e = this.e;
    const where = new Where()
      .add(`${e.col('tenantId')} = ?`, this.db.tenantId())
      .after(e.alias, decodeCursor(cursor));
    const rows = await this.db.query<ApiKey & { _ts: string }>(
      `SELECT ${e.selectList()}, ${keysetTs(e.alias)},
              CASE WHEN u.id IS NULL THEN NULL
                   ELSE json_build_object('id', u.id, 'name', u.full_name) END AS "createdBy"
         FROM ${e.table} ${e.alias} LEFT JOIN users u ON u.id = ${e.col('createdBy')}
        ${where}
        ORDER BY ${e.alias}.created_at DESC, ${e.alias}.id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(rows, limit);
  }

  async insert(v: {
    name: string;
    role: ApiKeyRole;
    expiresAt: string | null;
    prefix: string;
    keyHash: Buffer;
    createdBy: string;
  }): Promise<Omit<ApiKey, 'createdBy'>> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(ApiKeyEntity)
      .values({ ...v, tenantId: this.db.tenantId() })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /** Revokes a key: false when the tenant has no such key. */
  async delete(id: string): Promise<boolean> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .delete()
      .from(ApiKeyEntity)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  /**
   * Records when keys of the tenant were last used, in one statement; a time
   * never moves back (another instance may have written a later one). A key
   * revoked meanwhile has no row left: nothing to write.
   */
  async markUsed(uses: KeyUse[]): Promise<void> {
    await this.db.query(
      `UPDATE api_keys k SET last_used_at = u.at
         FROM unnest($2::uuid[], $3::timestamptz[]) AS u(id, at)
        WHERE k.tenant_id = $1 AND k.id = u.id
          AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
      [this.db.tenantId(), uses.map((u) => u.id), uses.map((u) => u.at)],
    );
  }
}
