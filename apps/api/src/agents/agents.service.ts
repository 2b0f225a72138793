import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  Agent,
  AgentListQuery,
  CreateAgentRequest,
  Page,
  UpdateAgentRequest,
} from '@acc/contracts';
import { Where, pageQuery, toPage } from '../common/pagination';
import { ColumnMap, assignments, likeContains, pgCode } from '../common/sql';
import { Db } from '../tenancy/db.service';

const COLUMNS = `a.id, a.name, a.status, a.direction, a.language, a.voice,
  a.llm_provider AS "llmProvider", a.llm_model AS "llmModel", a.temperature,
  a.system_prompt AS "systemPrompt", a.first_message AS "firstMessage",
  a.max_call_seconds AS "maxCallSeconds", a.silence_timeout_seconds AS "silenceTimeoutSeconds",
  a.voicemail_behavior AS "voicemailBehavior", a.voicemail_message AS "voicemailMessage",
  a.transfer_destinations AS "transferDestinations", a.disposition_codes AS "dispositionCodes",
  a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

const WRITABLE: ColumnMap<UpdateAgentRequest> = {
  name: 'name',
  status: 'status',
  direction: 'direction',
  language: 'language',
  voice: 'voice',
  llmProvider: 'llm_provider',
  llmModel: 'llm_model',
  temperature: 'temperature',
  systemPrompt: 'system_prompt',
  firstMessage: 'first_message',
  maxCallSeconds: 'max_call_seconds',
  silenceTimeoutSeconds: 'silence_timeout_seconds',
  voicemailBehavior: 'voicemail_behavior',
  voicemailMessage: 'voicemail_message',
  transferDestinations: { column: 'transfer_destinations', cast: 'jsonb' },
  dispositionCodes: { column: 'disposition_codes', cast: 'text[]' },
};

@Injectable()
export class AgentsService {
  constructor(private readonly db: Db) {}

  async list(q: AgentListQuery): Promise<Page<Agent>> {
    const where = new Where().add('a.tenant_id = ?', this.db.tenantId());
    if (q.status) where.add('a.status = ?', q.status);
    if (q.q) where.add('lower(a.name) LIKE ?', likeContains(q.q));
    const { sql, params } = pageQuery('agents a', COLUMNS, where, q.cursor, q.limit);
    return toPage(await this.db.query<Agent & { _ts: string }>(sql, params), q.limit);
  }

  async get(id: string): Promise<Agent> {
    const [a] = await this.db.query<Agent>(
      `SELECT ${COLUMNS} FROM agents a WHERE a.tenant_id = $1 AND a.id = $2`,
      [this.db.tenantId(), id],
    );
    if (!a) throw new NotFoundException('agent not found');
    return a;
  }

  async create(b: CreateAgentRequest): Promise<Agent> {
    const [a] = await this.db.query<Agent>(
      `INSERT INTO agents AS a (tenant_id, name, status, direction, language, voice, llm_provider, llm_model,
          temperature, system_prompt, first_message, max_call_seconds, silence_timeout_seconds,
          voicemail_behavior, voicemail_message, transfer_destinations, disposition_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::text[])
       RETURNING ${COLUMNS}`,
      [
        this.db.tenantId(),
        b.name,
        b.status,
        b.direction,
        b.language,
        b.voice,
        b.llmProvider,
        b.llmModel,
        b.temperature,
        b.systemPrompt,
        b.firstMessage,
        b.maxCallSeconds,
        b.silenceTimeoutSeconds,
        b.voicemailBehavior,
        b.voicemailMessage,
        JSON.stringify(b.transferDestinations),
        b.dispositionCodes,
      ],
    );
    return a;
  }

  /** Partial update by criteria (id AND tenant); the voicemail rule holds for the merged result. */
  async update(id: string, b: UpdateAgentRequest): Promise<Agent> {
    const sql = new Where();
    const set = assignments(b, WRITABLE, sql);
    if (set.length === 0) return this.get(id);
    const [a] = await this.db.query<Agent>(
      `UPDATE agents a SET ${set.join(', ')}
        WHERE a.tenant_id = ${sql.param(this.db.tenantId())} AND a.id = ${sql.param(id)}
        RETURNING ${COLUMNS}`,
      sql.params,
    );
    if (!a) throw new NotFoundException('agent not found');
    if (a.voicemailBehavior === 'leave_message' && !a.voicemailMessage) {
      // the transaction rolls back with this error: nothing is written
      throw new BadRequestException([
        'voicemailMessage: required when voicemailBehavior is leave_message',
      ]);
    }
    return a;
  }

  async remove(id: string): Promise<void> {
    try {
      const r = await this.db.execute('DELETE FROM agents WHERE tenant_id = $1 AND id = $2', [
        this.db.tenantId(),
        id,
      ]);
      if (r.rowCount === 0) throw new NotFoundException('agent not found');
    } catch (e) {
      if (pgCode(e) === '23503') {
        throw new ConflictException('this agent has calls; archive it instead of deleting it');
      }
      throw e;
    }
  }

  /** For call creation: the agent must exist in this tenant and not be archived. */
  async assertCanTakeCalls(id: string): Promise<void> {
    const [a] = await this.db.query<{ status: string }>(
      'SELECT status FROM agents WHERE tenant_id = $1 AND id = $2',
      [this.db.tenantId(), id],
    );
    if (!a) throw new NotFoundException('agentId: agent not found');
    if (a.status === 'archived')
      throw new ConflictException('agentId: this agent is archived and takes no new calls');
  }
}
