import { Injectable, Logger } from '@nestjs/common';
import type { AuditEvent, AuditEventListQuery, Page } from '@acc/contracts';
import { Db } from '../tenancy/db.service';
import { currentStore } from '../tenancy/request-context';
import type { Changes } from './audit-changes';
import { AuditRepository, type AuditRow } from './audit.repository';

/** What a change says about itself; who did it, from where, is the request's. */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  changes?: Changes;
}

/**
 * The audit log. record() writes in the caller's tenant transaction, so an
 * event exists exactly when its change committed. The actor, address, user
 * agent and request id come from the request context (the auth guard's
 * principal, or the job's ActingAs), never from the caller.
 */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');

  constructor(
    private readonly events: AuditRepository,
    private readonly db: Db,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    const row = { ...this.context(), ...this.fields(e) };
    // an export reads from a replica, which takes no writes: its event goes to the primary, on its own
    if (currentStore()?.readReplica)
      await this.db.transaction({ tenantId: this.db.tenantId() }, () => this.events.insert(row));
    else await this.events.insert(row);
  }

  /**
   * A person's own event (a signup, an invitation answered, a password
   * reset) in the transaction of the change: in the tenant given, which need
   * not be the transaction's (an invitation is answered from another
   * tenant's session, or from a mailed link with no tenant at all); the
   * self_append policy (migrations/016) lets a person append events about
   * themselves to a tenant they belong to, and nothing else.
   */
  async recordFor(
    tenantId: string,
    user: { id: string; fullName: string | null },
    e: AuditEntry,
  ): Promise<void> {
    await this.events.insert(
      {
        ...this.context(),
        actorType: 'user',
        actorId: user.id,
        actorName: user.fullName,
        nameOfUser: user.id,
        nameOfKey: null,
        ...this.fields(e),
      },
      tenantId,
    );
  }

  /**
   * A security event of a person who is not signed in yet (a login, a
   * failed one), in the tenant given, in a transaction of its own: the
   * request's own may roll back (a refused login) or have no tenant.
   */
  async security(
    tenantId: string,
    user: { id: string; fullName: string | null },
    e: AuditEntry,
  ): Promise<void> {
    await this.db.transaction({ tenantId }, () => this.recordFor(tenantId, user, e));
  }

  /** security(), never failing the request it reports on (and never delaying its answer). */
  securityInBackground(
    tenantId: string,
    user: { id: string; fullName: string | null },
    e: AuditEntry,
  ): void {
    this.security(tenantId, user, e).catch((err: Error) =>
      this.log.warn({ tenantId, action: e.action }, `audit event not recorded: ${err.message}`),
    );
  }

  list({ cursor, limit, ...filter }: AuditEventListQuery): Promise<Page<AuditEvent>> {
    return this.events.page(filter, cursor, limit);
  }

  private fields(e: AuditEntry) {
    return {
      action: e.action,
      resourceType: e.resourceType,
      resourceId: e.resourceId ?? null,
      changes: e.changes ?? {},
    };
  }

  private context(): Omit<AuditRow, 'action' | 'resourceType' | 'resourceId' | 'changes'> {
    const s = currentStore();
    const where = {
      ip: s?.ip ?? null,
      userAgent: s?.userAgent ?? null,
      requestId: s?.requestId ?? null,
    };
    const p = s?.principal;
    if (p?.kind === 'user')
      return {
        actorType: 'user',
        actorId: p.userId,
        actorName: null,
        nameOfUser: p.userId,
        nameOfKey: null,
        ...where,
      };
    if (p?.kind === 'apiKey')
      return {
        actorType: 'api_key',
        actorId: p.apiKeyId,
        actorName: null,
        nameOfUser: null,
        nameOfKey: p.apiKeyId,
        ...where,
      };
    const as = s?.actingAs ?? { type: 'system' as const, id: null, name: 'system' };
    return {
      actorType: as.type,
      actorId: as.id,
      actorName: as.name,
      nameOfUser: null,
      nameOfKey: null,
      ...where,
    };
  }
}
