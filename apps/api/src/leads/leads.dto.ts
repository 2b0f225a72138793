import { createZodDto } from '../common/zod-dto';
import {
  CreateLeadRequest,
  ImportResult,
  Lead,
  LeadFilter,
  LeadListQuery,
  LeadPage,
  UpdateLeadRequest,
} from '@acc/contracts';

export class LeadDto extends createZodDto(Lead) {}
export class LeadPageDto extends createZodDto(LeadPage) {}
export class LeadListQueryDto extends createZodDto(LeadListQuery) {}
export class LeadFilterDto extends createZodDto(LeadFilter) {}
export class CreateLeadDto extends createZodDto(CreateLeadRequest) {}
export class UpdateLeadDto extends createZodDto(UpdateLeadRequest) {}
export class ImportResultDto extends createZodDto(ImportResult) {}
