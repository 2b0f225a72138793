import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../common/api-docs';

export const PEOPLE_ONLY = 'auth:people-only';

/**
 * The route needs a person's sign-in: an API key, whatever its role, gets 403
 * (the guard checks it after authentication, so a bad key is still 401).
 * Put it on what a workspace must never hand to a machine credential
 * (managing API keys, members and invitations, webhooks, provider
 * integrations, the tenant itself) and on routes about the signed-in person
 * (their profile, tenants, invitations, switching). On a handler or a
 * controller, like @MinRole(); the route-permission snapshot shows it.
 */
export const PeopleOnly = () =>
  applyDecorators(
    SetMetadata(PEOPLE_ONLY, true),
    ApiForbiddenResponse({
      type: ApiErrorDto,
      description: 'an API key: people only (a person must be signed in)',
    }),
  );
