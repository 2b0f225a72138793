import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from '../common/zod-dto';
import { TenantUsage, UsageQuery } from '@acc/contracts';
import { MinRole } from '../auth/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { UsageService } from './usage.service';

class TenantUsageDto extends createZodDto(TenantUsage) {}
class UsageQueryDto extends createZodDto(UsageQuery) {}

@ApiTags('tenants')
@AuthenticatedRoute()
@Controller('api/v1/tenant/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @MinRole('admin')
  @ApiOperation({ summary: 'API calls of this tenant per day (newest first)' })
  @ApiOkResponse({ type: TenantUsageDto })
  get(@Query() q: UsageQueryDto) {
    return this.usage.usage(q.days);
  }
}
