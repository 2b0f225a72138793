import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { createZodDto } from './zod-dto';
import { ApiError } from '@acc/contracts';

/** The mark `@Public()` leaves on an operation, turned into `security: []` by buildOpenApi. */
export const PUBLIC_EXTENSION = 'x-public';

export class ApiErrorDto extends createZodDto(ApiError) {}

/** The error answers every authenticated route can give, documented once. */
export function AuthenticatedRoute() {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'invalid input' }),
    ApiUnauthorizedResponse({
      type: ApiErrorDto,
      description: 'missing, invalid or revoked token',
    }),
    ApiForbiddenResponse({ type: ApiErrorDto, description: 'role too low' }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: "not found, or another tenant's" }),
    ApiServiceUnavailableResponse({
      type: ApiErrorDto,
      description:
        "the database is busy, or this workspace's requests hold its share of it: retry shortly",
    }),
  );
}

const CRUD_VERBS: Record<string, string> = {
  list: 'list',
  get: 'get',
  create: 'create',
  update: 'update',
  remove: 'delete',
};

/**
 * Operation ids that read as a client's method names: `listLeads`,
 * `getLead`, `deleteApiKey` for the CRUD handlers, the handler's own name
 * otherwise (give it an `operationId` in `@ApiOperation` when that name alone
 * does not say what it acts on; the OpenAPI spec checks every id).
 */
export function operationId(controllerKey: string, methodKey: string): string {
  const verb = CRUD_VERBS[methodKey];
  if (!verb) return methodKey;
  const plural = controllerKey.replace(/Controller$/, '');
  return verb === 'list' ? `list${plural}` : `${verb}${plural.replace(/s$/, '')}`;
}
