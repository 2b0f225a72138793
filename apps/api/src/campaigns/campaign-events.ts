import { Injectable } from '@nestjs/common';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignRow } from './campaigns.repository';
import { progressOf, toCampaign } from './campaign-shape';

/** campaign.started, campaign.paused, campaign.completed: recorded in the transaction of the change. */
@Injectable()
export class CampaignEvents {
  constructor(
    private readonly webhooks: WebhookEvents,
    private readonly leads: CampaignLeadsRepository,
  ) {}

  async changed(
    type: 'campaign.started' | 'campaign.paused' | 'campaign.completed',
    row: CampaignRow,
  ): Promise<void> {
    const progress = progressOf(await this.leads.progress([row.id])).get(row.id);
    await this.webhooks.emit(type, toCampaign(row, progress));
  }
}
