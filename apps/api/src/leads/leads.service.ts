import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateLeadRequest,
  Lead,
  LeadListQuery,
  CountedPage,
  UpdateLeadRequest,
} from '@acc/contracts';
import { created, deleted, diff, given } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { LeadsRepository } from './leads.repository';

/** Leads; each change records its webhook event and its audit event in the same transaction. */
@Injectable()
export class LeadsService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly events: WebhookEvents,
    private readonly audit: AuditService,
  ) {}

  /** A page in the asked order; the first also counts the rows the filters match. */
  async list({ cursor, limit, sort, ...filter }: LeadListQuery): Promise<CountedPage<Lead>> {
    const page = await this.leads.page(filter, cursor, limit, sort);
    return { ...page, total: cursor ? null : await this.leads.count(filter) };
  }

  async get(id: string): Promise<Lead> {
    const lead = await this.leads.find(id);
    if (!lead) throw new NotFoundException('lead not found');
    return lead;
  }

  async create(body: CreateLeadRequest): Promise<Lead> {
    const lead = await this.leads.insert(body);
    await this.events.emit('lead.created', lead);
    await this.audit.record({
      action: 'lead.created',
      resourceType: 'lead',
      resourceId: lead.id,
      changes: created(lead, given(body)),
    });
    return lead;
  }

  async update(id: string, body: UpdateLeadRequest): Promise<Lead> {
    const fields = given(body);
    // the values before, for the audit log's diff (an empty PATCH changes nothing: no read)
    const before = fields.length ? await this.leads.find(id) : null;
    const lead = await this.leads.update(id, body);
    if (!lead) throw new NotFoundException('lead not found');
    // an empty PATCH changes nothing, so it reports nothing
    if (fields.length) {
      await this.events.emit('lead.updated', lead);
      await this.audit.record({
        action: 'lead.updated',
        resourceType: 'lead',
        resourceId: lead.id,
        changes: diff(before, lead, fields),
      });
    }
    return lead;
  }

  async remove(id: string): Promise<void> {
    const lead = await this.leads.delete(id);
    if (!lead) throw new NotFoundException('lead not found');
    await this.events.emit('lead.deleted', lead);
    await this.audit.record({
      action: 'lead.deleted',
      resourceType: 'lead',
      resourceId: lead.id,
      changes: deleted(lead, ['phone', 'firstName', 'lastName', 'email', 'company', 'status']),
    });
  }
}
