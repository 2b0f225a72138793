import { createZodDto } from '../common/zod-dto';
import {
  CreateTenantRequest,
  PageQuery,
  ResolveDomainQuery,
  ResolvedTenant,
  SwitchTenantRequest,
  SwitchTenantResponse,
  Tenant,
  TenantConfig,
  TenantList,
  TenantUsage,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
  UsageQuery,
} from '@acc/contracts';

export class TenantDto extends createZodDto(Tenant) {}
export class TenantListDto extends createZodDto(TenantList) {}
export class TenantPageQueryDto extends createZodDto(PageQuery) {}
export class UpdateTenantDto extends createZodDto(UpdateTenantRequest) {}
export class CreateTenantDto extends createZodDto(CreateTenantRequest) {}
export class SwitchTenantDto extends createZodDto(SwitchTenantRequest) {}
export class SwitchTenantResponseDto extends createZodDto(SwitchTenantResponse) {}
export class TenantConfigDto extends createZodDto(TenantConfig) {}
export class UpdateTenantConfigDto extends createZodDto(UpdateTenantConfigRequest) {}
export class ResolveDomainDto extends createZodDto(ResolveDomainQuery) {}
export class ResolvedTenantDto extends createZodDto(ResolvedTenant) {}
export class TenantUsageDto extends createZodDto(TenantUsage) {}
export class UsageQueryDto extends createZodDto(UsageQuery) {}
