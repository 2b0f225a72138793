import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PeopleOnly } from '../access/people-only.decorator';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import {
  IntegrationDto,
  IntegrationListDto,
  SetRetellApiKeyDto,
  SetVapiSecretDto,
} from './integrations.dto';
import { IntegrationsService } from './integrations.service';

@ApiTags('integrations')
@AuthenticatedRoute()
@MinRole('admin')
// a provider's secret is the key to recording calls: set by a person, never by an API key
@PeopleOnly()
@Controller('api/v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Get()
  @ApiOperation({
    summary: 'The voice providers: events URL to paste into each, configured, last event received',
  })
  @ApiOkResponse({ type: IntegrationListDto })
  async list() {
    return { data: await this.integrations.list() };
  }

  @Put('vapi')
  @ApiOperation({
    summary:
      'Set the secret of the Vapi server-URL credential (Bearer token, HMAC or x-vapi-secret); never answered back',
  })
  @ApiOkResponse({ type: IntegrationDto })
  setVapi(@Body() body: SetVapiSecretDto) {
    return this.integrations.setSecret('vapi', body.secret);
  }

  @Put('retell')
  @ApiOperation({
    summary:
      'Set the Retell API key (with the webhook badge) that signs its webhooks; never answered back',
  })
  @ApiOkResponse({ type: IntegrationDto })
  setRetell(@Body() body: SetRetellApiKeyDto) {
    return this.integrations.setSecret('retell', body.apiKey);
  }
}
