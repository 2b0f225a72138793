import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../access/public.decorator';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import {
  CreateTenantDto,
  SwitchTenantDto,
  SwitchTenantResponseDto,
  TenantConfigDto,
  TenantDto,
  TenantListDto,
  TenantPageQueryDto,
  UpdateTenantConfigDto,
  UpdateTenantDto,
  ResolveDomainDto,
  ResolvedTenantDto,
  TenantUsageDto,
  UsageQueryDto,
} from './tenants.dto';
import { TenantsService } from './tenants.service';
import { UsageService } from '../usage/usage.service';
import { PeopleOnly } from '../access/people-only.decorator';

/** Public, so in a controller of its own: the class-level bearer auth of the others must not be documented on it. */
@ApiTags('tenants')
@Public()
@Controller('api/v1')
export class TenantDomainController {
  constructor(private readonly tenants: TenantsService) {}

  @Get('tenants/resolve')
  @ApiOperation({
    operationId: 'resolveTenantDomain',
    summary: 'Public: which tenant a custom domain belongs to',
  })
  @ApiOkResponse({ type: ResolvedTenantDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'no active tenant serves this domain' })
  resolve(@Query() query: ResolveDomainDto) {
    return this.tenants.resolveDomain(query.domain);
  }
}

@ApiTags('tenants')
@AuthenticatedRoute()
@Controller('api/v1')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly usage: UsageService,
  ) {}

  @Get('tenants')
  @PeopleOnly()
  @ApiOperation({
    summary: 'Tenants the caller belongs to, with their role there; newest membership first',
  })
  @ApiOkResponse({ type: TenantListDto })
  list(@Query() q: TenantPageQueryDto) {
    return this.tenants.list(q.limit, q.cursor);
  }

  @Post('tenants')
  @PeopleOnly()
  @ApiOperation({
    operationId: 'createTenant',
    summary:
      'A new workspace with the caller as its owner; answers a token for it (as a switch does)',
  })
  @ApiCreatedResponse({ type: SwitchTenantResponseDto })
  create(@Body() body: CreateTenantDto) {
    return this.tenants.create(body);
  }

  @Get('tenant')
  @ApiOperation({ operationId: 'getCurrentTenant', summary: "The active tenant (the token's)" })
  @ApiOkResponse({ type: TenantDto })
  current() {
    return this.tenants.current();
  }

  @Patch('tenant')
  @MinRole('admin')
  @PeopleOnly()
  @ApiOperation({ summary: 'Rename the tenant or set its domain' })
  @ApiOkResponse({ type: TenantDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'domain taken' })
  update(@Body() body: UpdateTenantDto) {
    return this.tenants.update(body);
  }

  @Post('tenant/switch')
  @PeopleOnly()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'switchTenant',
    summary: 'A token for another tenant of the caller',
  })
  @ApiOkResponse({ type: SwitchTenantResponseDto })
  switch(@Body() body: SwitchTenantDto) {
    return this.tenants.switchTo(body.tenantId);
  }

  @Get('tenant/config')
  @ApiOperation({
    operationId: 'getTenantConfig',
    summary: 'Calling window, limits, recording',
  })
  @ApiOkResponse({ type: TenantConfigDto })
  config() {
    return this.tenants.config();
  }

  @Put('tenant/config')
  @MinRole('admin')
  @PeopleOnly()
  @ApiOperation({
    operationId: 'updateTenantConfig',
    summary: 'Replace the configuration (every field but settings is required)',
  })
  @ApiOkResponse({ type: TenantConfigDto })
  putConfig(@Body() body: UpdateTenantConfigDto) {
    return this.tenants.putConfig(body);
  }

  @Get('tenant/usage')
  @MinRole('admin')
  @ApiOperation({
    operationId: 'getTenantUsage',
    summary: 'API calls of this tenant per day (newest first)',
  })
  @ApiOkResponse({ type: TenantUsageDto })
  usageByDay(@Query() q: UsageQueryDto) {
    return this.usage.lastDays(q.days);
  }
}
