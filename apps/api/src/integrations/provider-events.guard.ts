import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IntegrationProvider } from '@acc/contracts';
import type { FastifyRequest } from 'fastify';
import { Db } from '../tenancy/db.service';
import { type RequestStore, currentStore } from '../tenancy/request-context';
import { IntegrationsService, PROVIDER_LABELS } from './integrations.service';

const EVENTS_OF = 'integrations:events-of';

/** Marks a public route that takes a provider's webhooks, authenticated by ProviderEventsGuard. */
export const ProviderEvents = (provider: IntegrationProvider) => SetMetadata(EVENTS_OF, provider);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A provider's webhook carries no token: the URL names the tenant, and the
 * request must prove it knows that tenant's secret for the provider (a
 * header or an HMAC of the exact bytes received). The tenant transaction is
 * opened for the tenant of the URL first, so the secret is read under its
 * row-level security like any tenant data. An unknown tenant, one without
 * the provider configured and a wrong secret all answer the same 401, and
 * nothing is written; only then is the body validated and recorded.
 */
@Injectable()
export class ProviderEventsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: Db,
    private readonly integrations: IntegrationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const provider = this.reflector.get<IntegrationProvider>(EVENTS_OF, context.getHandler());
    const req = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { tenantId: string } }> & { rawBody?: Buffer }>();
    const tenantId = req.params.tenantId;
    const refused = new UnauthorizedException('missing or invalid provider signature');
    if (!UUID.test(tenantId) || !req.rawBody) throw refused;
    await this.db.begin({ tenantId });
    if (!(await this.integrations.authentic(provider, req.headers, req.rawBody))) throw refused;
    // what the event writes is the provider integration's doing (the audit log's actor)
    (currentStore() as RequestStore).actingAs = {
      type: 'integration',
      id: provider,
      name: PROVIDER_LABELS[provider],
    };
    return true;
  }
}
