import { isDeepStrictEqual } from 'node:util';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  type Call,
  type CallListQuery,
  type CallSummary,
  type CreateCallRequest,
  type CountedPage,
  type UpdateCallRequest,
  TERMINAL_CALL_STATUSES,
  canTransition,
} from '@acc/contracts';
import { AgentsService } from '../agents/agents.service';
import { created, diff } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { LeadsRepository } from '../leads/leads.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import {
  type CallReport,
  ORDER,
  type RanAs,
  impliedFields,
  mergeReport,
  mergedTimestamps,
  timestampIssues,
} from './call-timeline';
import { CallsRepository } from './calls.repository';

/** Who and what a provider's call is: set when its first event creates it. */
export type ProviderCallIdentity = Pick<
  Call,
  'agentId' | 'leadId' | 'direction' | 'fromNumber' | 'toNumber'
> & { provider: string; providerCallId: string };

@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly agents: AgentsService,
    private readonly leads: LeadsRepository,
    private readonly events: WebhookEvents,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * A recording URL is kept only while the workspace records calls
   * (Settings, recordingEnabled): with recording off none is stored, from
   * any source (the API, a provider's event, a dialer).
   */
  private async recordingAllowed<T extends { recordingUrl?: string | null }>(b: T): Promise<T> {
    if (!b.recordingUrl) return b;
    if ((await this.tenants.config())?.recordingEnabled) return b;
    return { ...b, recordingUrl: null };
  }

  /** A page in the asked order; the first also counts the rows the filters match. */
  async list({ cursor, limit, sort, ...filter }: CallListQuery): Promise<CountedPage<CallSummary>> {
    const page = await this.calls.page(filter, cursor, limit, sort);
    return { ...page, total: cursor ? null : await this.calls.count(filter) };
  }

  async get(id: string): Promise<Call> {
    const c = await this.calls.find(id);
    if (!c) throw new NotFoundException('call not found');
    return c;
  }

  /**
   * Creates a call, or returns the existing one for a provider call id seen
   * before (duplicate webhook deliveries, even concurrent ones, make one row).
   */
  async create(given: CreateCallRequest): Promise<{ call: Call; created: boolean }> {
    const b = await this.recordingAllowed(given);
    if ((b.provider === undefined) !== (b.providerCallId === undefined)) {
      throw new BadRequestException(['provider and providerCallId go together']);
    }
    const byProvider = () =>
      b.provider && b.providerCallId
        ? this.calls.findByProviderId(b.provider, b.providerCallId)
        : Promise.resolve(undefined);
    // A repeated delivery gets the call it made even if the agent was archived since:
    // a 409 would only make the provider retry.
    const seen = await byProvider();
    if (seen) return { call: seen, created: false };
    // the database clock is asked only when a timestamp is given or implied (not for a queued call)
    const timed = impliedFields(b.status).length > 0 || ORDER.some((f) => b[f] !== undefined);
    const now = timed ? await this.calls.now() : new Date().toISOString();
    // the timestamps the status implies, as PATCH fills them
    const times = mergedTimestamps(b, {}, b.status, now);
    const issues = timestampIssues(b, times, now);
    if (issues.length) throw new BadRequestException(issues);
    await this.agents.assertCanTakeCalls(b.agentId);
    const [inserted] = await this.calls.insertNew([
      {
        ...b,
        startedAt: times.at.startedAt ?? null,
        answeredAt: times.at.answeredAt ?? null,
        endedAt: times.at.endedAt ?? null,
      },
    ]);
    // not inserted: a concurrent delivery of the same provider call inserted it first
    if (!inserted) return { call: (await byProvider()) as Call, created: false };
    await this.audited(inserted);
    if (inserted.status === 'completed') await this.touchLead(inserted);
    await this.events.emit('call.created', inserted);
    if (ended(inserted)) await this.events.emit('call.ended', inserted);
    return { call: inserted, created: true };
  }

  /** Applies fields and a lifecycle step; an illegal step is a 409 and nothing changes. */
  async update(id: string, given: UpdateCallRequest): Promise<Call> {
    const b = await this.recordingAllowed(given);
    const current = await this.calls.lockForUpdate(id);
    if (!current) throw new NotFoundException('call not found');
    if (b.status && !canTransition(current.status, b.status)) {
      throw new ConflictException(`status: a ${current.status} call cannot become ${b.status}`);
    }
    const newStatus = b.status !== current.status ? b.status : undefined;
    const times = mergedTimestamps(b, current, newStatus, current.now);
    const issues = timestampIssues(b, times, current.now);
    if (issues.length) throw new BadRequestException(issues);
    const patch = { ...b };
    for (const f of times.filled) patch[f] = times.at[f];
    if (Object.values(patch).every((v) => v === undefined)) return this.get(id);
    const c = await this.calls.update(id, patch);
    await this.audited(c, current);
    if (c.status === 'completed' && current.status !== 'completed') await this.touchLead(c);
    await this.events.emit('call.updated', c);
    if (ended(c) && c.status !== current.status) await this.events.emit('call.ended', c);
    return c;
  }

  /**
   * Applies one provider event to its call (call-timeline.ts, mergeReport):
   * the first event of a provider call id creates the call, every later one,
   * duplicates and late arrivals included, merges into it under a row lock.
   * Provider events are facts: an ended call stays ended, never a 409.
   */
  async recordReport(
    identity: ProviderCallIdentity,
    given: CallReport,
    ranAs: RanAs | null = null,
  ): Promise<Call> {
    const report =
      given.facts.recordingUrl || given.fallbacks.recordingUrl
        ? {
            ...given,
            facts: await this.recordingAllowed(given.facts),
            fallbacks: await this.recordingAllowed(given.fallbacks),
          }
        : given;
    const { provider, providerCallId } = identity;
    let stored = await this.calls.lockByProviderId(provider, providerCallId);
    if (!stored) {
      const merged = mergeReport(undefined, report, await this.calls.now());
      if (merged.issues.length) throw new BadRequestException(merged.issues);
      const [inserted] = await this.calls.insertNew([
        {
          ...identity,
          ...ranVersion(identity, ranAs),
          status: merged.status,
          ...merged.values,
        },
      ]);
      if (inserted) {
        await this.audited(inserted);
        if (inserted.status === 'completed') await this.touchLead(inserted);
        await this.events.emit('call.created', inserted);
        if (ended(inserted)) await this.events.emit('call.ended', inserted);
        return inserted;
      }
      // a concurrent event of the same call inserted it first: merge into that one
      stored = (await this.calls.lockByProviderId(provider, providerCallId)) as Call & {
        now: string;
      };
    }
    const merged = mergeReport(stored, report, stored.now);
    if (merged.issues.length) throw new BadRequestException(merged.issues);
    const patch = { status: merged.status, ...merged.values, ...ranVersion(stored, ranAs) };
    const { now: _now, ...call } = stored;
    // a repeat or a late event that adds nothing writes nothing (updatedAt stays)
    if (Object.entries(patch).every(([k, v]) => isDeepStrictEqual(call[k as keyof Call], v)))
      return call;
    const c = await this.calls.update(stored.id, patch);
    await this.audited(c, call);
    if (c.status === 'completed' && stored.status !== 'completed') await this.touchLead(c);
    await this.events.emit('call.updated', c);
    if (ended(c) && !ended(stored)) await this.events.emit('call.ended', c);
    return c;
  }

  /**
   * call.created or call.updated, by whoever acts (a person, a key, the
   * provider integration of an event, the campaign engine). The log does not
   * copy the conversation (transcript, analysis): it is the call's, not a
   * setting anyone changed.
   */
  private audited(c: Call, before?: CallSummary): Promise<void> {
    const fields = Object.keys(c).filter((k) => !CONVERSATION.has(k));
    return this.audit.record({
      action: before ? 'call.updated' : 'call.created',
      resourceType: 'call',
      resourceId: c.id,
      changes: before ? diff(before, c, fields) : created(c, fields),
    });
  }

  /** A completed call marks its lead contacted, in the same transaction. */
  private async touchLead(c: Call): Promise<void> {
    if (c.leadId) await this.leads.markContacted(c.leadId, c.endedAt);
  }
}

const CONVERSATION = new Set(['transcript', 'analysis']);

/**
 * The version a provider says ran, for the call's own agent (versions are
 * numbered per agent); none said: the trigger's version current at the
 * call's start (migrations/014) stands.
 */
function ranVersion(call: Pick<Call, 'agentId'>, ranAs: RanAs | null): { agentVersion?: number } {
  return ranAs && ranAs.agentId === call.agentId ? { agentVersion: ranAs.version } : {};
}

/** call.ended: the call reached a status it never leaves (completed, failed, no answer ...). */
function ended(c: Call): boolean {
  return (TERMINAL_CALL_STATUSES as readonly string[]).includes(c.status);
}
