import { Injectable } from '@nestjs/common';
import type { Page, WebhookDelivery, WebhookDeliveryType } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import type { EntitySql } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import type { Attempt } from './webhook-sender';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** A delivery taken by a worker for one attempt: what it needs to send it. */
export interface ClaimedDelivery {
  attempts: number;
  endpointId: string;
  eventId: string;
  type: WebhookDeliveryType;
  /** the stored body, byte for byte */
  body: string;
  url: string;
  /** the sealed signing secret (migrations/018) */
  secretBox: Buffer | null;
  /** the plain one, of a row written before 018 that the seal job has not reached yet */
  plainSecret: string | null;
  enabled: boolean;
  /** the endpoint's earlier attempts are failing (a success must clear that) */
  failing: boolean;
}

/**
 * Every statement on webhook_events and webhook_deliveries (an event is
 * written only with its deliveries, and goes with them), on the current
 * tenant transaction. Inserting or rescheduling a pending delivery enqueues
 * its job in the same transaction (trigger, migrations/008).
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly db: Db) {}

  private get e(): EntitySql<WebhookDeliveryEntity> {
    return this.db.sql(WebhookDeliveryEntity, 'd');
  }

  /**
   * The outbox, in one statement: an event for every enabled endpoint
   * subscribed to its type, or (endpointId) for that endpoint alone, and one
   * delivery per endpoint. Nothing is written when no endpoint wants it.
   */
  async record(
    type: WebhookDeliveryType,
    body: string,
    endpointId?: string,
  ): Promise<WebhookDelivery[]> {
    return this.db.query<WebhookDelivery>(
      `WITH ep AS (
         SELECT id FROM webhook_endpoints
          WHERE tenant_id = $1 AND ${endpointId ? 'id = $4' : 'enabled AND $2 = ANY (events)'}),
       ev AS (
         INSERT INTO webhook_events (tenant_id, type, payload)
         SELECT $1, $2, $3::json WHERE EXISTS (SELECT 1 FROM ep)
         RETURNING id, type)
       INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id)
       SELECT $1, ep.id, ev.id FROM ep, ev
       RETURNING ${this.e.selectList({ qualified: false })}, $2::text AS "type"`,
      [this.db.tenantId(), type, body, ...(endpointId ? [endpointId] : [])],
    );
  }

  /** A delivery as the API answers it (with its event's type), from `source` aliased d. */
  private select(source = 'webhook_deliveries'): string {
    return `SELECT ${this.e.selectList()}, ev.type AS "type", ${keysetTs('d')}
              FROM ${source} d
              JOIN webhook_events ev ON ev.tenant_id = d.tenant_id AND ev.id = d.event_id`;
  }

  /** An endpoint's deliveries, newest first. */
  async page(
    endpointId: string,
    status: WebhookDelivery['status'] | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<WebhookDelivery>> {
    const where = new Where()
      .add('d.tenant_id = ?', this.db.tenantId())
      .add('d.endpoint_id = ?', endpointId);
    if (status) where.add('d.status = ?', status);
    where.after('d', decodeCursor(cursor));
    const rows = await this.db.query<WebhookDelivery & { _ts: string }>(
      `${this.select()} ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(rows, limit);
  }

  /**
   * Makes a delivery pending and due now (its job is enqueued by the
   * trigger); undefined when it is not this endpoint's.
   */
  async retryNow(endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
    const [row] = await this.db.query<WebhookDelivery>(
      `WITH d AS (
         UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
          WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3
         RETURNING *)
       ${this.select('d')}`,
      [this.db.tenantId(), endpointId, id],
    );
    if (!row) return undefined;
    const { _ts, ...delivery } = row as WebhookDelivery & { _ts?: string };
    return delivery;
  }

  /**
   * Takes a due, pending delivery for one attempt: counts the attempt and
   * moves its job to when that attempt's lease ends (leasesMs, by attempt
   * number), so a worker that dies during the attempt leaves it due again.
   * undefined when it is not due (another worker has it, or it is done).
   */
  async claim(id: string, leasesMs: number[]): Promise<ClaimedDelivery | undefined> {
    const [row] = await this.db.query<ClaimedDelivery>(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now(),
              next_attempt_at = now() + ($3::int[])[least(d.attempts + 1, cardinality($3::int[]))]
                                         * interval '1 millisecond'
         FROM webhook_events ev, webhook_endpoints ep
        WHERE d.tenant_id = $1 AND d.id = $2 AND d.status = 'pending' AND d.next_attempt_at <= now()
          AND ev.tenant_id = d.tenant_id AND ev.id = d.event_id
          AND ep.tenant_id = d.tenant_id AND ep.id = d.endpoint_id
       RETURNING d.attempts, d.endpoint_id AS "endpointId", ev.id AS "eventId", ev.type,
                 ev.payload::text AS body, ep.url, ep.secret_box AS "secretBox",
                 ep.secret AS "plainSecret", ep.enabled,
                 ep.failing_since IS NOT NULL AS failing`,
      [this.db.tenantId(), id, leasesMs],
    );
    return row;
  }

  /**
   * The attempt's outcome. retryInMs: still pending, tried again after that
   * long; null: done (succeeded or failed, as the attempt says).
   */
  async finish(id: string, attempt: Attempt, retryInMs: number | null): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries
          SET status = CASE WHEN $3::int IS NOT NULL THEN 'pending' WHEN $4 THEN 'succeeded' ELSE 'failed' END,
              next_attempt_at = now() + $3::int * interval '1 millisecond',
              response_status = $5, response_body = $6, duration_ms = $7, error = $8
        WHERE tenant_id = $1 AND id = $2`,
      [
        this.db.tenantId(),
        id,
        retryInMs,
        attempt.ok,
        attempt.status,
        attempt.body,
        attempt.durationMs,
        attempt.error,
      ],
    );
  }

  /** Deletes every tenant's events (and their deliveries) older than `before`. */
  async purge(before: Date): Promise<number> {
    const [row] = await this.db.query<{ n: string }>('SELECT app_purge_webhook_events($1) AS n', [
      before.toISOString(),
    ]);
    return Number(row.n);
  }
}
