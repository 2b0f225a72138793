import { createZodDto } from '../common/zod-dto';
import { AuditEvent, AuditEventFilter, AuditEventListQuery, AuditEventPage } from '@acc/contracts';

export class AuditEventDto extends createZodDto(AuditEvent) {}
export class AuditEventPageDto extends createZodDto(AuditEventPage) {}
export class AuditEventListQueryDto extends createZodDto(AuditEventListQuery) {}
export class AuditEventFilterDto extends createZodDto(AuditEventFilter) {}
