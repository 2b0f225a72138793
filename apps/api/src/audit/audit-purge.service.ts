import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { Db } from '../tenancy/db.service';
import { AuditRepository } from './audit.repository';

export const AUDIT_PURGE_TASK = 'audit_purge';

/** The daily job that drops audit events past each tenant's retention (audit_retention_days, default 365). */
@Injectable()
export class AuditPurge implements OnModuleInit {
  private readonly log = new Logger('Audit');

  constructor(
    private readonly jobs: JobsService,
    private readonly db: Db,
    private readonly events: AuditRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.define(AUDIT_PURGE_TASK, () => this.purge().then(() => undefined));
    this.jobs.schedule(AUDIT_PURGE_TASK, '41 3 * * *');
  }

  async purge(): Promise<number> {
    const n = await this.db.transaction({ purpose: 'audit-purge' }, () => this.events.purge());
    if (n > 0) this.log.log(`purged ${n} audit events past their tenants' retention`);
    return n;
  }
}
