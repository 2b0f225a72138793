import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateLeadRequest,
  Lead,
  LeadListQuery,
  Page,
  UpdateLeadRequest,
} from '@acc/contracts';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { LeadsRepository } from './leads.repository';

/** Leads; each change records its webhook event in the same transaction. */
@Injectable()
export class LeadsService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly events: WebhookEvents,
  ) {}

  list({ cursor, limit, ...filter }: LeadListQuery): Promise<Page<Lead>> {
    return this.leads.page(filter, cursor, limit);
  }

  async get(id: string): Promise<Lead> {
    const lead = await this.leads.find(id);
    if (!lead) throw new NotFoundException('lead not found');
    return lead;
  }

  async create(body: CreateLeadRequest): Promise<Lead> {
    const lead = await this.leads.insert(body);
    await this.events.emit('lead.created', lead);
    return lead;
  }

  async update(id: string, body: UpdateLeadRequest): Promise<Lead> {
    const lead = await this.leads.update(id, body);
    if (!lead) throw new NotFoundException('lead not found');
    // an empty PATCH changes nothing, so it reports nothing
    if (Object.values(body).some((v) => v !== undefined))
      await this.events.emit('lead.updated', lead);
    return lead;
  }

  async remove(id: string): Promise<void> {
    const lead = await this.leads.delete(id);
    if (!lead) throw new NotFoundException('lead not found');
    await this.events.emit('lead.deleted', lead);
  }
}
