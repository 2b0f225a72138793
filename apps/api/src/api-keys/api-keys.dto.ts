import { createZodDto } from '../common/zod-dto';
import {
  ApiKey,
  ApiKeyList,
  ApiKeyListQuery,
  CreateApiKeyRequest,
  CreatedApiKey,
} from '@acc/contracts';

export class ApiKeyDto extends createZodDto(ApiKey) {}
export class ApiKeyListDto extends createZodDto(ApiKeyList) {}
export class ApiKeyListQueryDto extends createZodDto(ApiKeyListQuery) {}
export class CreateApiKeyDto extends createZodDto(CreateApiKeyRequest) {}
export class CreatedApiKeyDto extends createZodDto(CreatedApiKey) {}
