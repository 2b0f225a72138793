import { createZodDto } from '../common/zod-dto';
import { CreateDncRequest, DncEntry, DncImportResult, DncListQuery, DncPage } from '@acc/contracts';

export class DncEntryDto extends createZodDto(DncEntry) {}
export class DncPageDto extends createZodDto(DncPage) {}
export class DncListQueryDto extends createZodDto(DncListQuery) {}
export class CreateDncDto extends createZodDto(CreateDncRequest) {}
export class DncImportResultDto extends createZodDto(DncImportResult) {}
