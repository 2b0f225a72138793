import { Injectable } from '@nestjs/common';
import type { AuditEvent, AuditEventFilter, Page } from '@acc/contracts';
import { Where, decodeCursor, toPage } from '../common/pagination';
import { Db } from '../tenancy/db.service';

/** What one audit row records. */
export interface AuditRow {
  actorType: AuditEvent['actor']['type'];
  actorId: string | null;
  /** null: looked up (a user's full name, a key's name) by the insert itself */
  actorName: string | null;
  /** ids to name the actor by, when actorName is null */
  nameOfUser: string | null;
  nameOfKey: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  changes: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT = `SELECT a.id,
       to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
       json_build_object('type', a.actor_type, 'id', a.actor_id, 'name', a.actor_name) AS actor,
       a.action, a.resource_type AS "resourceType", a.resource_id AS "resourceId", a.changes,
       a.ip, a.user_agent AS "userAgent", a.request_id AS "requestId"
  FROM audit_events a`;

/**
 * Every statement on audit_events, on the request's tenant transaction. The
 * API role may only insert and read here (migrations/013); the purge is
 * app_purge_audit_events(), which runs as the table's owner.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** In the transaction's tenant, or (a person's own event, AuditService.recordFor) the one given. */
  async insert(r: AuditRow, tenantId = this.db.tenantId()): Promise<void> {
    // a function: its INSERT is planned once per connection (migrations/017)
    await this.db.query(
      'SELECT app_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
      [
        tenantId,
        r.actorType,
        r.actorId,
        r.actorName,
        r.nameOfUser,
        r.nameOfKey,
        r.action,
        r.resourceType,
        r.resourceId,
        JSON.stringify(r.changes),
        r.ip,
        r.userAgent,
        r.requestId,
      ],
    );
  }

  /** Deletes, in every tenant, the events past that tenant's retention (as the table's owner). */
  async purge(): Promise<number> {
    const [row] = await this.db.query<{ n: string }>('SELECT app_purge_audit_events() AS n');
    return Number(row?.n ?? 0);
  }

  /** The tenant's events, newest first, on the (tenant_id, at, id) keyset. */
  async page(
    f: AuditEventFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<AuditEvent>> {
    const where = new Where().add('a.tenant_id = ?', this.db.tenantId());
    if (f.actor) {
      if (UUID.test(f.actor)) where.add('a.actor_id = ?', f.actor.toLowerCase());
      else where.add(`a.actor_name ILIKE '%' || ? || '%'`, escapeLike(f.actor));
    }
    if (f.action) where.add('a.action = ?', f.action);
    if (f.resourceType) where.add('a.resource_type = ?', f.resourceType);
    if (f.resourceId) where.add('a.resource_id = ?', f.resourceId);
    if (f.from) where.add('a.at >= ?::timestamptz', f.from);
    if (f.to) where.add('a.at < ?::timestamptz', f.to);
    const k = decodeCursor(cursor);
    if (k) where.add('(a.at, a.id) < (?::timestamptz, ?::uuid)', k.ts, k.id);
    const rows = await this.db.query<AuditEvent & { _ts: string }>(
      `${SELECT} ${where}
        ORDER BY a.at DESC, a.id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(
      rows.map((r) => ({ ...r, _ts: r.at })),
      limit,
    );
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
