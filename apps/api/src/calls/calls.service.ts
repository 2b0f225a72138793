import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  type Call,
  type CallListQuery,
  type CallStatus,
  type CallSummary,
  type CreateCallRequest,
  type Page,
  type UpdateCallRequest,
  canTransition,
  TERMINAL_CALL_STATUSES,
} from '@acc/contracts';
import { AgentsService } from '../agents/agents.service';
import { Where, pageQuery, toPage } from '../common/pagination';
import { ColumnMap, assignments, pgCode } from '../common/sql';
import { Db } from '../tenancy/db.service';
import { CALL_SUMMARY_COLUMNS, callFilter } from './call.sql';

const COLUMNS = `${CALL_SUMMARY_COLUMNS}, c.transcript`;

const WRITABLE: ColumnMap<UpdateCallRequest> = {
  status: 'status',
  startedAt: 'started_at',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  endReason: 'end_reason',
  outcome: 'outcome',
  sentiment: 'sentiment',
  summary: 'summary',
  transcript: { column: 'transcript', cast: 'jsonb' },
  recordingUrl: 'recording_url',
  cost: 'cost',
};

const TERMINAL = new Set<CallStatus>(TERMINAL_CALL_STATUSES);

/** Timestamps a new status implies, for those the caller did not give. */
function impliedTimestamps(status: CallStatus | undefined, b: UpdateCallRequest): string[] {
  if (!status) return [];
  const out: string[] = [];
  if (status !== 'queued' && b.startedAt === undefined)
    out.push('started_at = coalesce(c.started_at, now())');
  if ((status === 'in_progress' || status === 'completed') && b.answeredAt === undefined) {
    out.push('answered_at = coalesce(c.answered_at, now())');
  }
  if (TERMINAL.has(status) && b.endedAt === undefined)
    out.push('ended_at = coalesce(c.ended_at, now())');
  return out;
}

@Injectable()
export class CallsService {
  constructor(
    private readonly db: Db,
    private readonly agents: AgentsService,
  ) {}

  async list(q: CallListQuery): Promise<Page<CallSummary>> {
    const { sql, params } = pageQuery(
      'calls c',
      CALL_SUMMARY_COLUMNS,
      callFilter(this.db.tenantId(), q),
      q.cursor,
      q.limit,
    );
    return toPage(await this.db.query<CallSummary & { _ts: string }>(sql, params), q.limit);
  }

  async get(id: string): Promise<Call> {
    const [c] = await this.db.query<Call>(
      `SELECT ${COLUMNS} FROM calls c WHERE c.tenant_id = $1 AND c.id = $2`,
      [this.db.tenantId(), id],
    );
    if (!c) throw new NotFoundException('call not found');
    return c;
  }

  /**
   * Creates a call, or returns the existing one for a provider call id seen
   * before (duplicate webhook deliveries, even concurrent ones, make one row).
   */
  async create(b: CreateCallRequest): Promise<{ call: Call; created: boolean }> {
    if ((b.provider === undefined) !== (b.providerCallId === undefined)) {
      throw new BadRequestException(['provider and providerCallId go together']);
    }
    const tenantId = this.db.tenantId();
    // A repeated delivery gets the call it made even if the agent was archived since:
    // a 409 would only make the provider retry.
    const seen = b.provider ? await this.byProviderId(b.provider, b.providerCallId) : undefined;
    if (seen) return { call: seen, created: false };
    await this.agents.assertCanTakeCalls(b.agentId);
    const [inserted] = await this.db
      .query<Call>(
        `INSERT INTO calls AS c (tenant_id, agent_id, lead_id, direction, status, from_number, to_number,
            started_at, answered_at, ended_at, end_reason, outcome, sentiment, summary, transcript,
            recording_url, cost, provider, provider_call_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18, $19)
         ON CONFLICT (tenant_id, provider, provider_call_id) WHERE provider IS NOT NULL DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          tenantId,
          b.agentId,
          b.leadId ?? null,
          b.direction,
          b.status,
          b.fromNumber,
          b.toNumber,
          b.startedAt ?? null,
          b.answeredAt ?? null,
          b.endedAt ?? null,
          b.endReason ?? null,
          b.outcome ?? null,
          b.sentiment ?? null,
          b.summary ?? null,
          JSON.stringify(b.transcript ?? []),
          b.recordingUrl ?? null,
          b.cost ?? null,
          b.provider ?? null,
          b.providerCallId ?? null,
        ],
      )
      .catch((e) => {
        if (pgCode(e) === '23503') throw new NotFoundException('leadId: lead not found');
        throw e;
      });
    if (!inserted) {
      // a concurrent delivery of the same provider call inserted it first
      return {
        call: (await this.byProviderId(b.provider, b.providerCallId)) as Call,
        created: false,
      };
    }
    if (inserted.status === 'completed') await this.touchLead(inserted);
    return { call: inserted, created: true };
  }

  private async byProviderId(
    provider?: string,
    providerCallId?: string,
  ): Promise<Call | undefined> {
    const [call] = await this.db.query<Call>(
      `SELECT ${COLUMNS} FROM calls c WHERE c.tenant_id = $1 AND c.provider = $2 AND c.provider_call_id = $3`,
      [this.db.tenantId(), provider, providerCallId],
    );
    return call;
  }

  /** Applies fields and a lifecycle step; an illegal step is a 409 and nothing changes. */
  async update(id: string, b: UpdateCallRequest): Promise<Call> {
    const [current] = await this.db.query<{ status: CallStatus }>(
      'SELECT status FROM calls WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [this.db.tenantId(), id],
    );
    if (!current) throw new NotFoundException('call not found');
    if (b.status && !canTransition(current.status, b.status)) {
      throw new ConflictException(`status: a ${current.status} call cannot become ${b.status}`);
    }
    const sql = new Where();
    const set = [
      ...assignments(b, WRITABLE, sql),
      ...impliedTimestamps(b.status !== current.status ? b.status : undefined, b),
    ];
    if (set.length === 0) return this.get(id);
    const [c] = await this.db.query<Call>(
      `UPDATE calls c SET ${set.join(', ')}
        WHERE c.tenant_id = ${sql.param(this.db.tenantId())} AND c.id = ${sql.param(id)}
        RETURNING ${COLUMNS}`,
      sql.params,
    );
    if (c.status === 'completed' && current.status !== 'completed') await this.touchLead(c);
    return c;
  }

  /** A completed call marks its lead contacted, in the same transaction. */
  private async touchLead(c: Call): Promise<void> {
    if (!c.leadId) return;
    await this.db.query(
      `UPDATE leads SET last_contacted_at = greatest(coalesce(last_contacted_at, '-infinity'), coalesce($3, now())),
              status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END
        WHERE tenant_id = $1 AND id = $2`,
      [this.db.tenantId(), c.leadId, c.endedAt],
    );
  }
}
