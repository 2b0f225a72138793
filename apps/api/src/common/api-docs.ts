import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { createZodDto } from './zod-dto';
import { ApiError } from '@acc/contracts';

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
  );
}
