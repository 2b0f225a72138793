import { Global, Module } from '@nestjs/common';
import { AuditPurge } from './audit-purge.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The audit log. Global: every feature records its changes through
 * AuditService, in its own tenant transaction.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditPurge],
  exports: [AuditService],
})
export class AuditModule {}
