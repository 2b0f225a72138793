import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateLeadRequest,
  Lead,
  LeadListQuery,
  Page,
  UpdateLeadRequest,
} from '@acc/contracts';
import { Where, pageQuery, toPage } from '../common/pagination';
import { ColumnMap, assignments, pgCode, pgConstraint } from '../common/sql';
import { Db } from '../tenancy/db.service';
import { LEAD_COLUMNS, leadFilter } from './lead.sql';

const WRITABLE: ColumnMap<UpdateLeadRequest> = {
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  email: 'email',
  company: 'company',
  status: 'status',
  source: 'source',
  assignedAgentId: 'assigned_agent_id',
  tags: { column: 'tags', cast: 'text[]' },
  timezone: 'timezone',
  nextCallAt: 'next_call_at',
  customFields: { column: 'custom_fields', cast: 'jsonb' },
};

/** Unique phone per tenant -> 409; another tenant's (or no) agent -> 404. */
function translate(e: unknown): never {
  const code = pgCode(e);
  if (code === '23505' && pgConstraint(e) === 'leads_tenant_id_phone_key') {
    throw new ConflictException('phone: a lead with this phone number already exists');
  }
  if (code === '23503') throw new NotFoundException('assignedAgentId: agent not found');
  throw e;
}

@Injectable()
export class LeadsService {
  constructor(private readonly db: Db) {}

  async list(q: LeadListQuery): Promise<Page<Lead>> {
    const { sql, params } = pageQuery(
      'leads l',
      LEAD_COLUMNS,
      leadFilter(this.db.tenantId(), q),
      q.cursor,
      q.limit,
    );
    return toPage(await this.db.query<Lead & { _ts: string }>(sql, params), q.limit);
  }

  async get(id: string): Promise<Lead> {
    const [l] = await this.db.query<Lead>(
      `SELECT ${LEAD_COLUMNS} FROM leads l WHERE l.tenant_id = $1 AND l.id = $2`,
      [this.db.tenantId(), id],
    );
    if (!l) throw new NotFoundException('lead not found');
    return l;
  }

  async create(b: CreateLeadRequest): Promise<Lead> {
    const [l] = await this.db
      .query<Lead>(
        `INSERT INTO leads AS l (tenant_id, first_name, last_name, phone, email, company, status, source,
            assigned_agent_id, tags, timezone, next_call_at, custom_fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12, $13::jsonb)
         RETURNING ${LEAD_COLUMNS}`,
        [
          this.db.tenantId(),
          b.firstName ?? null,
          b.lastName ?? null,
          b.phone,
          b.email ?? null,
          b.company ?? null,
          b.status,
          b.source ?? null,
          b.assignedAgentId ?? null,
          b.tags,
          b.timezone ?? null,
          b.nextCallAt ?? null,
          JSON.stringify(b.customFields),
        ],
      )
      .catch(translate);
    return l;
  }

  async update(id: string, b: UpdateLeadRequest): Promise<Lead> {
    const sql = new Where();
    const set = assignments(b, WRITABLE, sql);
    if (set.length === 0) return this.get(id);
    const [l] = await this.db
      .query<Lead>(
        `UPDATE leads l SET ${set.join(', ')}
          WHERE l.tenant_id = ${sql.param(this.db.tenantId())} AND l.id = ${sql.param(id)}
          RETURNING ${LEAD_COLUMNS}`,
        sql.params,
      )
      .catch(translate);
    if (!l) throw new NotFoundException('lead not found');
    return l;
  }

  async remove(id: string): Promise<void> {
    const r = await this.db.execute('DELETE FROM leads WHERE tenant_id = $1 AND id = $2', [
      this.db.tenantId(),
      id,
    ]);
    if (r.rowCount === 0) throw new NotFoundException('lead not found');
  }
}
