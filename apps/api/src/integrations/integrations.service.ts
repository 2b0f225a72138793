import { randomBytes } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  INTEGRATION_PROVIDERS,
  type Integration,
  type IntegrationProvider,
  type ProviderEventReceipt,
  normalizePhone,
} from '@acc/contracts';
import type { ZodType } from 'zod';
import { AgentsRepository, PROVIDER_AGENT_ID } from '../agents/agents.repository';
import { CallsService } from '../calls/calls.service';
import type { Env } from '../config/env';
import { LeadsRepository } from '../leads/leads.repository';
import { currentPerson } from '../tenancy/request-context';
import { Db } from '../tenancy/db.service';
import { IntegrationsRepository } from './integrations.repository';
import type { ProviderCallEvent, ProviderEvent } from './provider-event';
import { retellAuthentic, vapiAuthentic } from './provider-signatures';
import { RetellEnvelope, retellEvent } from './retell-events';
import { SecretBox } from '../common/secret-box';
import { VapiEnvelope, vapiEvent } from './vapi-events';
import { AUDIT_SECRET_CHANGED } from '@acc/contracts';
import { created } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

type Headers = Record<string, string | string[] | undefined>;

export const PROVIDER_LABELS: Record<IntegrationProvider, string> = {
  vapi: 'Vapi',
  retell: 'Retell',
};

const PARSERS: Record<IntegrationProvider, (body: unknown) => ProviderEvent> = {
  vapi: (body) => vapiEvent(parse(VapiEnvelope, body)),
  retell: (body) => retellEvent(parse(RetellEnvelope, body)),
};

function parse<T>(schema: ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new BadRequestException(
      r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    );
  return r.data;
}

@Injectable()
export class IntegrationsService {
  private readonly baseUrl: string;
  /** checked when a tenant has no secret: a refusal takes the same work either way */
  private readonly decoy = randomBytes(32).toString('base64url');

  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly agents: AgentsRepository,
    private readonly leads: LeadsRepository,
    private readonly calls: CallsService,
    private readonly box: SecretBox,
    private readonly db: Db,
    private readonly audit: AuditService,
    config: ConfigService<Env, true>,
  ) {
    // where providers reach this API: API_URL when the console calls it elsewhere, else the console's origin
    this.baseUrl = (
      config.get('API_URL', { infer: true }) || config.get('FRONTEND_URL', { infer: true })
    ).replace(/\/+$/, '');
  }

  /** The public URL a tenant pastes into the provider: its tenant id names whose secret checks it. */
  eventsUrl(provider: IntegrationProvider): string {
    return `${this.baseUrl}/api/v1/integrations/${provider}/events/${this.db.tenantId()}`;
  }

  async list(): Promise<Integration[]> {
    const rows = new Map((await this.integrations.list()).map((r) => [r.provider, r]));
    return INTEGRATION_PROVIDERS.map((provider) => {
      const row = rows.get(provider);
      return {
        provider,
        eventsUrl: this.eventsUrl(provider),
        configured: !!row,
        lastEventAt: row?.lastEventAt ?? null,
        updatedAt: row?.updatedAt ?? null,
      };
    });
  }

  async setSecret(provider: IntegrationProvider, secret: string): Promise<Integration> {
    const sealed = this.box.seal(secret, this.context(provider));
    await this.integrations.upsert(provider, sealed, currentPerson().userId);
    await this.audit.record({
      action: 'integration.secret_set',
      resourceType: 'integration',
      resourceId: provider,
      changes: { secret: AUDIT_SECRET_CHANGED },
    });
    return (await this.list()).find((i) => i.provider === provider) as Integration;
  }

  /**
   * Whether a request to a tenant's events URL carries that tenant's secret
   * (runs in the tenant's transaction, opened by the guard). Without a
   * configured secret a random one is checked, so that an unknown tenant
   * costs the same time as a wrong secret.
   */
  async authentic(
    provider: IntegrationProvider,
    headers: Headers,
    rawBody: Buffer,
  ): Promise<boolean> {
    const sealed = await this.integrations.secretBox(provider);
    const secret = (sealed && this.box.open(sealed, this.context(provider))) || undefined;
    const key = secret ?? this.decoy;
    const ok =
      provider === 'vapi'
        ? vapiAuthentic(headers, rawBody, key)
        : retellAuthentic(headers, rawBody, key, Date.now());
    return ok && secret !== undefined;
  }

  /** Records an authentic event: its call, agent and lead; notes when the tenant last heard from the provider. */
  async record(provider: IntegrationProvider, body: unknown): Promise<ProviderEventReceipt> {
    const event = PARSERS[provider](body);
    await this.integrations.touchLastEvent(provider);
    if (event.kind === 'ignored') return { received: true, recorded: false, reason: event.reason };
    const customer = event.customerNumber ? normalizePhone(event.customerNumber) : undefined;
    const ours = event.ourNumber ? normalizePhone(event.ourNumber) : undefined;
    const customerNumber = customer?.ok ? customer.e164 : (event.customerNumber ?? '');
    const ourNumber = ours?.ok ? ours.e164 : (event.ourNumber ?? '');
    const leadId = customer?.ok ? await this.leadFor(provider, customer.e164, event) : null;
    const call = await this.calls.recordReport(
      {
        agentId: await this.agentFor(event),
        leadId,
        direction: event.direction,
        fromNumber: event.direction === 'inbound' ? customerNumber : ourNumber,
        toNumber: event.direction === 'inbound' ? ourNumber : customerNumber,
        provider,
        providerCallId: event.providerCallId,
      },
      event.report,
      event.ranAs,
    );
    return { received: true, recorded: true, callId: call.id };
  }

  /** The lead with the customer's number; the first call of a number creates it (audited as the integration). */
  private async leadFor(
    provider: IntegrationProvider,
    phone: string,
    e: ProviderCallEvent,
  ): Promise<string> {
    const values = { phone, firstName: e.customerName, source: PROVIDER_LABELS[provider] };
    const lead = await this.leads.ensureByPhone(values);
    if (lead.created)
      await this.audit.record({
        action: 'lead.created',
        resourceType: 'lead',
        resourceId: lead.id,
        changes: created(values),
      });
    return lead.id;
  }

  /**
   * The agent with the provider's id of the event's agent; the first call of
   * an agent nobody mapped yet creates one (named after it), so calls appear
   * without setup; an admin can rename it or move the id to another agent.
   */
  private async agentFor(e: ProviderCallEvent): Promise<string> {
    const id = e.agent.id ?? 'unknown';
    const found = await this.agents.idByProviderId(e.provider, id);
    if (found) return found;
    const values = {
      name: (e.agent.name ?? `${PROVIDER_LABELS[e.provider]} agent ${id}`).slice(0, 100),
      direction: 'both' as const,
      voice: e.provider,
      llmProvider: 'other' as const,
      llmModel: `configured in ${PROVIDER_LABELS[e.provider]}`,
      [PROVIDER_AGENT_ID[e.provider]]: id,
    };
    const inserted = await this.agents.insertForProvider(values);
    // not inserted: a concurrent event of the same agent inserted it first
    if (!inserted) return (await this.agents.idByProviderId(e.provider, id)) as string;
    await this.audit.record({
      action: 'agent.created',
      resourceType: 'agent',
      resourceId: inserted,
      changes: created(values),
    });
    return inserted;
  }

  private context(provider: IntegrationProvider): string {
    return `${this.db.tenantId()}/${provider}`;
  }
}
