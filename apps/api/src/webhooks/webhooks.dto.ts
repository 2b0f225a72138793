import {
  CreateWebhookRequest,
  DeliveryParams,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookDeliveryPage,
  WebhookListQuery,
  WebhookPage,
  WebhookWithSecret,
} from '@acc/contracts';
import { createZodDto } from '../common/zod-dto';

export class WebhookDto extends createZodDto(Webhook) {}
export class WebhookWithSecretDto extends createZodDto(WebhookWithSecret) {}
export class WebhookPageDto extends createZodDto(WebhookPage) {}
export class WebhookListQueryDto extends createZodDto(WebhookListQuery) {}
export class CreateWebhookDto extends createZodDto(CreateWebhookRequest) {}
export class UpdateWebhookDto extends createZodDto(UpdateWebhookRequest) {}
export class WebhookDeliveryDto extends createZodDto(WebhookDelivery) {}
export class WebhookDeliveryPageDto extends createZodDto(WebhookDeliveryPage) {}
export class WebhookDeliveryListQueryDto extends createZodDto(WebhookDeliveryListQuery) {}
export class DeliveryParamsDto extends createZodDto(DeliveryParams) {}
