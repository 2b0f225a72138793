import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Agent, Call, Lead } from '@acc/contracts';
import { AgentsRepository } from '../agents/agents.repository';
import { CAMPAIGN_ENGINE, SIMULATOR } from '../audit/actors';
import { diff } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { CallsRepository } from '../calls/calls.repository';
import { CallsService } from '../calls/calls.service';
import type { Env } from '../config/env';
import { SecretBox } from '../common/secret-box';
import { JobsService } from '../jobs/jobs.service';
import { LeadsRepository } from '../leads/leads.repository';
import { Db } from '../tenancy/db.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { WebhookSender } from '../webhooks/webhook-sender';
import { CampaignJobsRepository, DISPATCH_TASK, SIMULATE_TASK } from './campaign-jobs.repository';
import { ProviderApi, ProviderError, idIn } from './provider-api';
import { retellCallRequest, vapiCallRequest } from './provider-dialers';
import { RetellAgentSync } from './retell-agent-sync';
import { simulatedOutcome, simulatedStep } from './simulator';

interface DispatchJob {
  tenantId: string;
  callId: string;
}
interface SimulateJob extends DispatchJob {
  step: number;
}

/** What a dialer is given: the call and everything needed to hold the conversation. */
export interface DispatchMessage {
  call: Call;
  lead: Lead | null;
  agent: Agent;
  recordingEnabled: boolean;
}

/** The context a dialer's secret is sealed to: another tenant's row does not open it. */
export const dialerSecretContext = (tenantId: string) => `${tenantId}:dialer`;

/**
 * Places the calls the engine (or "Call now") queued, through the tenant's
 * dialer: the simulator plays the call's steps as jobs; the webhook dialer
 * POSTs a signed `call.dispatch` to the tenant's bridge (Standard Webhooks,
 * webhook-id = the call id, so a retried job is recognisable) and records
 * the id the bridge answers. No database connection is held while a bridge
 * answers. A dialer that refuses ends the call `failed`, which the
 * campaign's retry rules then see like any other failure.
 */
@Injectable()
export class CallDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('Dialer');
  private readonly sender: WebhookSender;
  private readonly stepMs: number;
  private readonly timeoutMs: number;
  private readonly providerUrls: Record<'vapi' | 'retell', string>;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly queue: CampaignJobsRepository,
    private readonly calls: CallsRepository,
    private readonly callsService: CallsService,
    private readonly agents: AgentsRepository,
    private readonly leads: LeadsRepository,
    private readonly tenants: TenantsRepository,
    private readonly box: SecretBox,
    private readonly retell: RetellAgentSync,
    private readonly audit: AuditService,
    config: ConfigService<Env, true>,
  ) {
    this.stepMs = config.get('SIMULATOR_STEP_MS', { infer: true });
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.providerUrls = {
      vapi: config.get('VAPI_API_URL', { infer: true }).replace(/\/+$/, ''),
      retell: config.get('RETELL_API_URL', { infer: true }).replace(/\/+$/, ''),
    };
    this.sender = new WebhookSender({
      timeoutMs: config.get('WEBHOOK_TIMEOUT_MS', { infer: true }),
      allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }),
    });
  }

  onModuleInit(): void {
    this.jobs.define(DISPATCH_TASK, (p) => this.dispatch(p as DispatchJob));
    this.jobs.define(SIMULATE_TASK, (p) => this.simulate(p as SimulateJob));
  }

  onModuleDestroy(): void {
    this.sender.close();
  }

  private later(ms: number): string {
    return new Date(Date.now() + ms).toISOString();
  }

  async dispatch({ tenantId, callId }: DispatchJob): Promise<void> {
    const send = await this.db.transaction(
      { tenantId },
      async () => {
        const call = await this.calls.find(callId);
        // placed already (a repeated job), or ended meanwhile
        if (!call || call.status !== 'queued' || call.providerCallId) return null;
        const dialer = await this.tenants.dialer();
        if (!dialer || dialer.type === 'simulator') {
          await this.queue.simulate(callId, 1, this.later(this.stepMs));
          return null;
        }
        const agent = await this.agents.find(call.agentId);
        const cfg = await this.tenants.config();
        const secret = dialer.secret
          ? this.box.open(dialer.secret, dialerSecretContext(tenantId))
          : undefined;
        if (!agent || !cfg || !secret || (dialer.type === 'webhook' && !dialer.url)) {
          await this.fail(callId, `the ${dialer.type} dialer is not configured`);
          return null;
        }
        const lead = call.leadId ? ((await this.leads.find(call.leadId)) ?? null) : null;
        const message: DispatchMessage = {
          call,
          lead,
          agent,
          recordingEnabled: cfg.recordingEnabled,
        };
        return { dialer, secret, message };
      },
      CAMPAIGN_ENGINE,
    );
    if (!send) return;
    const placed =
      send.dialer.type === 'webhook'
        ? await this.toBridge(send.dialer.url as string, send.secret, send.message)
        : await this.toProvider(
            tenantId,
            send.dialer.type as 'vapi' | 'retell',
            send.secret,
            send.dialer.options,
            send.message,
          );
    await this.db.transaction(
      { tenantId },
      async () => {
        if (!('id' in placed)) return this.fail(callId, placed.error);
        // the version sent is the one that runs (the agent may have changed since the call was queued)
        const patch = {
          provider: placed.provider,
          providerCallId: placed.id,
          agentVersion: send.message.agent.version,
        };
        await this.calls.update(callId, patch);
        await this.audit.record({
          action: 'call.updated',
          resourceType: 'call',
          resourceId: callId,
          changes: diff(send.message.call, patch, Object.keys(patch)),
        });
      },
      CAMPAIGN_ENGINE,
    );
  }

  /** The signed call.dispatch; the bridge answers its own id of the call. */
  private async toBridge(
    url: string,
    secret: string,
    message: DispatchMessage,
  ): Promise<{ provider: string; id: string } | { error: string }> {
    const body = JSON.stringify({
      type: 'call.dispatch',
      timestamp: new Date().toISOString(),
      data: message,
    });
    const attempt = await this.sender.send(url, { id: message.call.id, body, secret });
    if (!attempt.ok)
      return {
        error: `the bridge refused the call: ${attempt.status ? `HTTP ${attempt.status}` : attempt.error}`,
      };
    const id = bridgeCallId(attempt.body);
    return id
      ? { provider: 'bridge', id }
      : { error: 'the bridge answered without {"callId": "..."}' };
  }

  /**
   * An outbound call through the provider's API, with the tenant's key there
   * and the agent's configuration: inline for Vapi, synced first for Retell.
   */
  private async toProvider(
    tenantId: string,
    provider: 'vapi' | 'retell',
    apiKey: string,
    options: Record<string, unknown>,
    { call, lead, agent, recordingEnabled }: DispatchMessage,
  ): Promise<{ provider: string; id: string } | { error: string }> {
    const api = new ProviderApi(provider, this.providerUrls[provider], apiKey, this.timeoutMs);
    try {
      const req =
        provider === 'vapi'
          ? vapiCallRequest(call, agent, lead, {
              phoneNumberId: String(options['phoneNumberId'] ?? ''),
              recordingEnabled,
            })
          : retellCallRequest(
              call,
              lead,
              await this.retell.ensure(tenantId, agent, recordingEnabled, api),
              agent,
            );
      const id = idIn(
        await api.request('POST', req.path, req.body, 'the call'),
        provider === 'vapi' ? 'id' : 'call_id',
      );
      return id ? { provider, id } : { error: `${provider} answered without a call id` };
    } catch (e) {
      if (e instanceof ProviderError) return { error: e.message };
      throw e;
    }
  }

  private async fail(callId: string, reason: string): Promise<void> {
    this.log.warn(`call ${callId} not placed: ${reason}`);
    await this.callsService.update(callId, { status: 'failed', endReason: reason.slice(0, 100) });
  }

  /** One step of a simulated call; the next is a job of its own. */
  async simulate({ tenantId, callId, step }: SimulateJob): Promise<void> {
    await this.db.transaction(
      { tenantId },
      async () => {
        const call = await this.calls.find(callId);
        const expected = step === 1 ? 'queued' : step === 2 ? 'ringing' : 'in_progress';
        if (!call || call.status !== expected) return; // ended by someone else, or a repeated job
        const agent = await this.agents.find(call.agentId);
        const cfg = await this.tenants.config();
        if (!agent || !cfg) return;
        const lead = call.leadId ? ((await this.leads.find(call.leadId)) ?? null) : null;
        const s = simulatedStep(step, simulatedOutcome(callId, lead), agent, lead, {
          enabled: cfg.recordingEnabled,
          url: `https://recordings.simulator.invalid/${callId}.wav`,
        });
        await this.callsService.update(callId, s.update);
        // the conversation lasts a few steps; ringing and answering one each
        if (s.next)
          await this.queue.simulate(
            callId,
            step + 1,
            this.later(step === 2 ? this.stepMs * 3 : this.stepMs),
          );
      },
      SIMULATOR,
    );
  }
}

/** The bridge's own id of the call, from its answer `{"callId": "..."}`. */
function bridgeCallId(body: string | null): string | null {
  try {
    const id = (JSON.parse(body ?? '') as { callId?: unknown }).callId;
    return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

/** A Standard Webhooks signing secret: whsec_ and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
