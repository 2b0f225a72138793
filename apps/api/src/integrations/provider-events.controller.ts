import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../access/public.decorator';
import { ApiErrorDto } from '../common/api-docs';
import { ProviderEventReceiptDto } from './integrations.dto';
import { IntegrationsService } from './integrations.service';
import { ProviderEvents, ProviderEventsGuard } from './provider-events.guard';

/**
 * The voice providers' webhooks: public (no token), each request proves its
 * tenant's provider secret instead (ProviderEventsGuard). The body is the
 * provider's own JSON, read after the signature is checked.
 */
const TENANT_PARAM = {
  name: 'tenantId',
  format: 'uuid',
  description:
    'the tenant the events belong to: the URL is copied from the console (GET /api/v1/integrations)',
};

@ApiTags('integrations')
@Public()
@UseGuards(ProviderEventsGuard)
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'no or wrong provider secret' })
@ApiBadRequestResponse({ type: ApiErrorDto, description: 'not a payload of the provider' })
@Controller('api/v1/integrations')
export class ProviderEventsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Post('vapi/events/:tenantId')
  @HttpCode(200)
  @ProviderEvents('vapi')
  @ApiOperation({
    operationId: 'receiveVapiEvents',
    summary:
      "Vapi server messages (status-update, end-of-call-report) for the tenant of the URL; authenticated by the tenant's Vapi secret",
  })
  @ApiOkResponse({ type: ProviderEventReceiptDto })
  @ApiParam(TENANT_PARAM)
  vapi(@Body() body: unknown) {
    return this.integrations.record('vapi', body);
  }

  @Post('retell/events/:tenantId')
  @HttpCode(200)
  @ProviderEvents('retell')
  @ApiOperation({
    operationId: 'receiveRetellEvents',
    summary:
      "Retell webhooks (call_started, call_ended, call_analyzed) for the tenant of the URL; x-retell-signature with the tenant's Retell API key",
  })
  @ApiOkResponse({ type: ProviderEventReceiptDto })
  @ApiParam(TENANT_PARAM)
  retell(@Body() body: unknown) {
    return this.integrations.record('retell', body);
  }
}
