import { Injectable } from '@nestjs/common';
import type { DncEntry, Page } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { DncEntity } from './dnc.entity';

/** Who adds a number: exactly one of them. */
export type DncAuthor = { userId: string } | { apiKeyId: string } | { callId: string };

/** When and why a number went on the list. */
export interface DncHit {
  phone: string;
  createdAt: string;
  reason: string | null;
}

/** Every statement on dnc_numbers, on the request's (or job's) tenant transaction. */
@Injectable()
export class DncRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<DncEntity> {
    return this.db.sql(DncEntity, 'd');
  }

  /** The entry with who added it (users and the tenant's keys joined for the name). */
  private select(where: Where, tail = ''): string {
    const e = this.e;
    return `SELECT ${e.selectList()}, ${keysetTs(e.alias)},
              CASE WHEN u.id IS NOT NULL THEN json_build_object('type', 'user', 'id', u.id, 'name', u.full_name)
                   WHEN k.id IS NOT NULL THEN json_build_object('type', 'api_key', 'id', k.id, 'name', k.name)
                   WHEN ${e.col('callId')} IS NOT NULL
                     THEN json_build_object('type', 'call', 'id', ${e.col('callId')}, 'name', NULL)
              END AS "createdBy"
         FROM ${e.table} ${e.alias}
         LEFT JOIN users u ON u.id = ${e.col('createdBy')}
         LEFT JOIN api_keys k ON k.tenant_id = ${e.col('tenantId')} AND k.id = ${e.col('createdByKey')}
        ${where} ${tail}`;
  }

  async page(
    q: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<DncEntry>> {
    const e = this.e;
    const where = new Where().add(`${e.col('tenantId')} = ?`, this.db.tenantId());
    if (q) where.add(`${e.col('phone')} LIKE ?`, `%${q.replace(/\D/g, '')}%`);
    where.after(e.alias, decodeCursor(cursor));
    const sql = this.select(
      where,
      `ORDER BY ${e.alias}.created_at DESC, ${e.alias}.id DESC LIMIT ${where.param(limit + 1)}`,
    );
    return toPage(await this.db.query<DncEntry & { _ts: string }>(sql, where.params), limit);
  }

  async findByPhone(phone: string): Promise<DncEntry | undefined> {
    const e = this.e;
    const where = new Where()
      .add(`${e.col('tenantId')} = ?`, this.db.tenantId())
      .add(`${e.col('phone')} = ?`, phone);
    const [row] = await this.db.query<DncEntry & { _ts?: string }>(
      this.select(where),
      where.params,
    );
    if (!row) return undefined;
    const { _ts, ...entry } = row;
    return entry;
  }

  /** Adds a number unless it is listed already: true when this call added it. */
  async add(phone: string, reason: string | null, by: DncAuthor): Promise<boolean> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(DncEntity)
      .values({
        tenantId: this.db.tenantId(),
        phone,
        reason,
        createdBy: 'userId' in by ? by.userId : null,
        createdByKey: 'apiKeyId' in by ? by.apiKeyId : null,
        callId: 'callId' in by ? by.callId : null,
      } as Writable<DncEntity>)
      .orIgnore()
      .returning('id')
      .updateEntity(false)
      .execute();
    return r.raw.length > 0;
  }

  /** Many numbers at once (an import); those listed already are left as they are. Answers how many were new. */
  async addMany(
    rows: Array<{ phone: string; reason: string | null }>,
    by: DncAuthor,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await this.db.execute(
      `INSERT INTO dnc_numbers (tenant_id, phone, reason, created_by, created_by_key)
       SELECT $1, p, r, $4, $5 FROM unnest($2::text[], $3::text[]) AS t(p, r)
       ON CONFLICT (tenant_id, phone) DO NOTHING`,
      [
        this.db.tenantId(),
        rows.map((x) => x.phone),
        rows.map((x) => x.reason),
        'userId' in by ? by.userId : null,
        'apiKeyId' in by ? by.apiKeyId : null,
      ],
    );
    return r.rowCount;
  }

  async delete(id: string): Promise<boolean> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .delete()
      .from(DncEntity)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  /** Which of these numbers are listed, with when and why. */
  async hits(phones: string[]): Promise<Map<string, DncHit>> {
    if (phones.length === 0) return new Map();
    const e = this.e;
    const rows = await this.db.query<DncHit>(
      `SELECT ${e.col('phone')} AS phone, ${e.col('createdAt')} AS "createdAt", ${e.col('reason')} AS reason
         FROM ${e.table} ${e.alias} WHERE ${e.col('tenantId')} = $1 AND ${e.col('phone')} = ANY ($2::text[])`,
      [this.db.tenantId(), phones],
    );
    return new Map(rows.map((r) => [r.phone, r]));
  }
}
