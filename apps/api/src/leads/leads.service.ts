import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  CreateLeadRequest,
  Lead,
  LeadListQuery,
  Page,
  UpdateLeadRequest,
} from '@acc/contracts';
import { LeadsRepository } from './leads.repository';

@Injectable()
export class LeadsService {
  constructor(private readonly leads: LeadsRepository) {}

  list({ cursor, limit, ...filter }: LeadListQuery): Promise<Page<Lead>> {
    return this.leads.page(filter, cursor, limit);
  }

  async get(id: string): Promise<Lead> {
    const lead = await this.leads.find(id);
    if (!lead) throw new NotFoundException('lead not found');
    return lead;
  }

  create(body: CreateLeadRequest): Promise<Lead> {
    return this.leads.insert(body);
  }

  async update(id: string, body: UpdateLeadRequest): Promise<Lead> {
    const lead = await this.leads.update(id, body);
    if (!lead) throw new NotFoundException('lead not found');
    return lead;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.leads.delete(id))) throw new NotFoundException('lead not found');
  }
}
