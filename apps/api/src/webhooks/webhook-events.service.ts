import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryType, WebhookEventType, WebhookMessage } from '@acc/contracts';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** The request body of an event, as stored and sent on every attempt. */
export function messageBody(type: WebhookDeliveryType, data: unknown): string {
  const m: WebhookMessage = { type, timestamp: new Date().toISOString(), data };
  return JSON.stringify(m);
}

/**
 * What features call when something a webhook reports happens. The event
 * is written in the caller's tenant transaction (the outbox): it is sent
 * only if that transaction commits, and then at least once.
 */
@Injectable()
export class WebhookEvents {
  constructor(private readonly deliveries: WebhookDeliveriesRepository) {}

  /** `data`: the resource exactly as the API answers it. */
  async emit(type: WebhookEventType, data: unknown): Promise<void> {
    await this.deliveries.record(type, messageBody(type, data));
  }
}
