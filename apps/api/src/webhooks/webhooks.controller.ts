import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PeopleOnly } from '../access/people-only.decorator';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import {
  CreateWebhookDto,
  DeliveryParamsDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryListQueryDto,
  WebhookDeliveryPageDto,
  WebhookDto,
  WebhookListQueryDto,
  WebhookPageDto,
  WebhookWithSecretDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@AuthenticatedRoute()
@MinRole('admin')
// a machine credential never manages where the tenant's data is sent
@PeopleOnly()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's webhook endpoints, newest first (secrets never shown)" })
  @ApiOkResponse({ type: WebhookPageDto })
  list(@Query() q: WebhookListQueryDto) {
    return this.webhooks.list(q);
  }

  @Post()
  @ApiOperation({ summary: 'Add an endpoint; its signing secret is in this answer only' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint (never its secret)' })
  @ApiOkResponse({ type: WebhookDto })
  get(@Param() p: IdParamDto) {
    return this.webhooks.get(p.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events, description; enabling it again starts afresh' })
  @ApiOkResponse({ type: WebhookDto })
  update(@Param() p: IdParamDto, @Body() body: UpdateWebhookDto) {
    return this.webhooks.update(p.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted, with its delivery log' })
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.webhooks.remove(p.id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'A new signing secret, in this answer only; the old one stops at once',
  })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  rotateSecret(@Param() p: IdParamDto) {
    return this.webhooks.rotateSecret(p.id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'testWebhook',
    summary: 'Send a `ping` event to this endpoint; the answer is its delivery',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  test(@Param() p: IdParamDto) {
    return this.webhooks.test(p.id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "The endpoint's delivery log, newest first (kept 30 days)",
  })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  deliveries(@Param() p: IdParamDto, @Query() q: WebhookDeliveryListQueryDto) {
    return this.webhooks.deliveryLog(p.id, q);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'retryWebhookDelivery',
    summary: 'Send a delivery again now (same webhook-id)',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  retry(@Param() p: DeliveryParamsDto) {
    return this.webhooks.retry(p.id, p.deliveryId);
  }
}
