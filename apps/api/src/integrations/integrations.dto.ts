import {
  Integration,
  IntegrationList,
  ProviderEventReceipt,
  SetRetellApiKeyRequest,
  SetVapiSecretRequest,
} from '@acc/contracts';
import { createZodDto } from '../common/zod-dto';

export class IntegrationDto extends createZodDto(Integration) {}
export class IntegrationListDto extends createZodDto(IntegrationList) {}
export class SetVapiSecretDto extends createZodDto(SetVapiSecretRequest) {}
export class SetRetellApiKeyDto extends createZodDto(SetRetellApiKeyRequest) {}
export class ProviderEventReceiptDto extends createZodDto(ProviderEventReceipt) {}
