import { createZodDto } from '../common/zod-dto';
import {
  Call,
  CallNowRequest,
  DialerSettings,
  UpdateDialerRequest,
  UpdatedDialer,
  Campaign,
  CampaignLeadPage,
  CampaignLeadsQuery,
  CampaignListQuery,
  CampaignPage,
  CreateCampaignRequest,
  CreateDncRequest,
  DncEntry,
  DncImportResult,
  DncListQuery,
  DncPage,
  Eligibility,
  EligibilityQuery,
  UpdateCampaignRequest,
} from '@acc/contracts';

export class DncEntryDto extends createZodDto(DncEntry) {}
export class DncPageDto extends createZodDto(DncPage) {}
export class DncListQueryDto extends createZodDto(DncListQuery) {}
export class CreateDncDto extends createZodDto(CreateDncRequest) {}
export class DncImportResultDto extends createZodDto(DncImportResult) {}

export class CampaignDto extends createZodDto(Campaign) {}
export class CampaignPageDto extends createZodDto(CampaignPage) {}
export class CampaignListQueryDto extends createZodDto(CampaignListQuery) {}
export class CreateCampaignDto extends createZodDto(CreateCampaignRequest) {}
export class UpdateCampaignDto extends createZodDto(UpdateCampaignRequest) {}
export class CampaignLeadPageDto extends createZodDto(CampaignLeadPage) {}
export class CampaignLeadsQueryDto extends createZodDto(CampaignLeadsQuery) {}
export class EligibilityDto extends createZodDto(Eligibility) {}
export class EligibilityQueryDto extends createZodDto(EligibilityQuery) {}
export class DialerSettingsDto extends createZodDto(DialerSettings) {}
export class UpdateDialerDto extends createZodDto(UpdateDialerRequest) {}
export class UpdatedDialerDto extends createZodDto(UpdatedDialer) {}
export class CallNowDto extends createZodDto(CallNowRequest) {}
export class CallDto extends createZodDto(Call) {}
