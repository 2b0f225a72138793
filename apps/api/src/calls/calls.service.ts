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

type TimeField = 'startedAt' | 'answeredAt' | 'endedAt';
type Instant = string | null | undefined;
const TIME_COLUMNS: Record<TimeField, string> = {
  startedAt: 'started_at',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
};
/** How far ahead of the database clock a timestamp may be (the provider's clock may run ahead). */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CALL_MS = 24 * 3_600_000;

/** The timestamps a status implies, filled when neither given nor already set. */
function impliedFields(status: CallStatus | undefined): TimeField[] {
  if (!status || status === 'queued') return [];
  const out: TimeField[] = ['startedAt'];
  if (status === 'in_progress' || status === 'completed') out.push('answeredAt');
  if (TERMINAL.has(status)) out.push('endedAt');
  return out;
}

const ORDER: TimeField[] = ['startedAt', 'answeredAt', 'endedAt'];

/**
 * The call's timestamps once a write is applied: the body's, else the stored
 * ones. One the new status implies and nobody set takes the next one known
 * after it (a call reported ended at 10:00 was answered and started by then,
 * as far as anyone knows), else now.
 */
function mergedTimestamps(
  b: UpdateCallRequest,
  stored: Partial<Record<TimeField, Instant>>,
  status: CallStatus | undefined,
  now: string,
): { at: Record<TimeField, Instant>; filled: TimeField[] } {
  const filled = impliedFields(status).filter((f) => b[f] === undefined && !stored[f]);
  const at = {} as Record<TimeField, Instant>;
  let next: Instant = now;
  for (const f of [...ORDER].reverse()) {
    at[f] = b[f] !== undefined ? b[f] : filled.includes(f) ? next : stored[f];
    if (at[f]) next = at[f];
  }
  return { at, filled };
}

/**
 * Merged timestamps must be in order (startedAt <= answeredAt <= endedAt) and
 * not in the future beyond the clock skew; answers the 400 messages, naming
 * the field given.
 */
function timestampIssues(
  b: UpdateCallRequest,
  { at, filled }: ReturnType<typeof mergedTimestamps>,
  now: string,
): string[] {
  const changed = ORDER.filter((f) => b[f] !== undefined || filled.includes(f));
  if (changed.length === 0) return [];
  const nowMs = new Date(now).getTime();
  const ms = (f: TimeField) => (at[f] ? new Date(at[f] as string).getTime() : null);
  const issues: string[] = [];
  for (const f of changed) {
    const t = ms(f);
    if (t !== null && t > nowMs + CLOCK_SKEW_MS) {
      issues.push(`${f}: must not be in the future (more than 5 minutes ahead)`);
    }
  }
  const pairs: Array<[TimeField, TimeField]> = [
    ['startedAt', 'answeredAt'],
    ['answeredAt', 'endedAt'],
  ];
  // with answeredAt set, the two pairs above already order startedAt before endedAt
  if (ms('answeredAt') === null) pairs.push(['startedAt', 'endedAt']);
  for (const [x, y] of pairs) {
    const [tx, ty] = [ms(x), ms(y)];
    if (tx === null || ty === null || tx <= ty) continue;
    issues.push(
      b[y] !== undefined || b[x] === undefined
        ? `${y}: must not be before ${x}`
        : `${x}: must not be after ${y}`,
    );
  }
  // the duration is whole seconds in an integer column; no call runs for a day
  const [answered, ended] = [ms('answeredAt'), ms('endedAt')];
  if (answered !== null && ended !== null && ended - answered > MAX_CALL_MS) {
    issues.push(
      b.endedAt !== undefined || b.answeredAt === undefined
        ? 'endedAt: a call lasts at most 24 hours after answeredAt'
        : 'answeredAt: a call lasts at most 24 hours before endedAt',
    );
  }
  return issues;
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
    // the database clock is asked only when a timestamp is given or implied (not for a queued call)
    const timed = impliedFields(b.status).length > 0 || ORDER.some((f) => b[f] !== undefined);
    const now = timed
      ? (await this.db.query<{ now: string }>('SELECT now() AS now'))[0].now
      : new Date().toISOString();
    // the timestamps the status implies, as PATCH fills them
    const times = mergedTimestamps(b, {}, b.status, now);
    const issues = timestampIssues(b, times, now);
    if (issues.length) throw new BadRequestException(issues);
    const t = times.at;
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
          t.startedAt ?? null,
          t.answeredAt ?? null,
          t.endedAt ?? null,
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
    const [current] = await this.db.query<
      { status: CallStatus; now: string } & Record<TimeField, string | null>
    >(
      `SELECT status, started_at AS "startedAt", answered_at AS "answeredAt", ended_at AS "endedAt",
              now() AS now
         FROM calls WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [this.db.tenantId(), id],
    );
    if (!current) throw new NotFoundException('call not found');
    if (b.status && !canTransition(current.status, b.status)) {
      throw new ConflictException(`status: a ${current.status} call cannot become ${b.status}`);
    }
    const newStatus = b.status !== current.status ? b.status : undefined;
    const times = mergedTimestamps(b, current, newStatus, current.now);
    const issues = timestampIssues(b, times, current.now);
    if (issues.length) throw new BadRequestException(issues);
    const sql = new Where();
    const set = [
      ...assignments(b, WRITABLE, sql),
      ...times.filled.map((f) => `${TIME_COLUMNS[f]} = ${sql.param(times.at[f])}::timestamptz`),
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
