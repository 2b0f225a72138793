import { Injectable } from '@nestjs/common';
import type { Page, UpdateWebhookRequest, Webhook, WebhookEventType } from '@acc/contracts';
import { Where, pageQuery, toPage } from '../common/pagination';
import type { EntitySql, Writable } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * What a signing secret's box is bound to: a box copied into another
 * endpoint's or tenant's row does not open.
 */
export const webhookSecretContext = (tenantId: string, endpointId: string) =>
  `webhook:${tenantId}:${endpointId}`;

export interface NewEndpoint {
  /** chosen before the insert: the sealed secret is bound to it */
  id: string;
  url: string;
  events: WebhookEventType[];
  description?: string | null;
  enabled: boolean;
  secretBox: Buffer;
}

/** Every statement on webhook_endpoints, on the current tenant transaction. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<WebhookEndpointEntity> {
    return this.db.sql(WebhookEndpointEntity, 'w');
  }

  async page(cursor: string | undefined, limit: number): Promise<Page<Webhook>> {
    const where = new Where().add(`${this.e.col('tenantId')} = ?`, this.db.tenantId());
    const { sql, params } = pageQuery(this.e, where, cursor, limit);
    return toPage(await this.db.query<Webhook & { _ts: string }>(sql, params), limit);
  }

  async find(id: string): Promise<Webhook | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(WebhookEndpointEntity, 'w')
      .select(this.e.selectList())
      .where('w.tenant_id = :tenantId AND w.id = :id', { tenantId: this.db.tenantId(), id })
      .getRawOne<Webhook>();
  }

  async insert(values: NewEndpoint): Promise<Webhook> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(WebhookEndpointEntity)
      .values({ ...values, tenantId: this.db.tenantId() } as Writable<WebhookEndpointEntity>)
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /**
   * undefined when the endpoint is not this tenant's. Enabling it (again)
   * forgets why and since when it was failing: it starts afresh.
   */
  async update(
    id: string,
    patch: UpdateWebhookRequest & { secretBox?: Buffer },
  ): Promise<Webhook | undefined> {
    if (Object.values(patch).every((v) => v === undefined)) return this.find(id);
    const set: Writable<WebhookEndpointEntity> = { ...patch };
    // a new box replaces a plain secret of before migrations/018 too
    if (patch.secretBox !== undefined) set.secret = null;
    if (patch.enabled !== undefined) set.disabledReason = null;
    if (patch.enabled === true) set.failingSince = null;
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(WebhookEndpointEntity)
      .set(set)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .returning(this.e.selectList({ qualified: false }))
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /**
   * Seals this tenant's plain secrets (rows written before migrations/018)
   * and clears them, in one statement per row; answers how many.
   */
  async sealPlainSecrets(seal: (id: string, secret: string) => Buffer): Promise<number> {
    const plain = await this.db.query<{ id: string; secret: string }>(
      `SELECT id, secret FROM webhook_endpoints
        WHERE tenant_id = $1 AND secret IS NOT NULL FOR UPDATE`,
      [this.db.tenantId()],
    );
    for (const { id, secret } of plain)
      await this.db.query(
        `UPDATE webhook_endpoints SET secret_box = $3, secret = NULL WHERE tenant_id = $1 AND id = $2`,
        [this.db.tenantId(), id, seal(id, secret)],
      );
    return plain.length;
  }

  async delete(id: string): Promise<boolean> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .delete()
      .from(WebhookEndpointEntity)
      .where('tenant_id = :tenantId AND id = :id', { tenantId: this.db.tenantId(), id })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  /**
   * After an attempt: a success clears `failing_since`; a failure starts it
   * (if not yet set), and disables the endpoint once it is older than
   * `disableAfterMs`. Answers the URL when this very call disabled it.
   */
  async afterAttempt(
    id: string,
    ok: boolean,
    disableAfterMs: number,
  ): Promise<{ disabledUrl: string } | undefined> {
    const [row] = await this.db.query<{ disabledUrl: string | null }>(
      `WITH cur AS (
         SELECT id, enabled, failing_since,
                NOT $3::boolean AND failing_since <= now() - $4 * interval '1 millisecond' AS expired
           FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 FOR UPDATE)
       UPDATE webhook_endpoints w
          SET failing_since = CASE WHEN $3 THEN NULL ELSE coalesce(w.failing_since, now()) END,
              enabled = w.enabled AND NOT coalesce(cur.expired, false),
              disabled_reason = CASE WHEN w.enabled AND cur.expired
                THEN 'every delivery attempt failed since ' || to_char(cur.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
                ELSE w.disabled_reason END
         FROM cur
        WHERE w.tenant_id = $1 AND w.id = cur.id
       RETURNING CASE WHEN cur.enabled AND cur.expired THEN w.url END AS "disabledUrl"`,
      [this.db.tenantId(), id, ok, disableAfterMs],
    );
    return row?.disabledUrl ? { disabledUrl: row.disabledUrl } : undefined;
  }
}
