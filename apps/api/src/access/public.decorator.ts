import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '../common/api-docs';

export const IS_PUBLIC = 'auth:public';

/**
 * Opts a route out of authentication; everything else requires a valid token.
 * The OpenAPI document marks it `security: []` (see common/openapi.ts).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
