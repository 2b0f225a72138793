import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'auth:public';

/**
 * Opts a route out of authentication; everything else requires a valid token.
 * The OpenAPI document marks it `security: []` (see api-docs.ts).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

export const PUBLIC_EXTENSION = 'x-public';
