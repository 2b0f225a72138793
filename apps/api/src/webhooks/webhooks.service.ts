import { randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type {
  CreateWebhookRequest,
  Page,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookListQuery,
  WebhookWithSecret,
} from '@acc/contracts';
import type { Env } from '../config/env';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository, webhookSecretContext } from './webhook-endpoints.repository';
import { messageBody } from './webhook-events.service';
import { urlRefusal } from './webhook-sender';
import { AUDIT_SECRET_CHANGED } from '@acc/contracts';
import { created, deleted, diff, given } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { SecretBox } from '../common/secret-box';
import { Db } from '../tenancy/db.service';

/** A Standard Webhooks signing secret: whsec_ and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A tenant's endpoints and their delivery logs (admin+). */
@Injectable()
export class WebhooksService {
  private readonly allowPrivate: boolean;

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly audit: AuditService,
    private readonly box: SecretBox,
    private readonly db: Db,
    config: ConfigService<Env, true>,
  ) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true });
  }

  list({ cursor, limit }: WebhookListQuery): Promise<Page<Webhook>> {
    return this.endpoints.page(cursor, limit);
  }

  async get(id: string): Promise<Webhook> {
    const w = await this.endpoints.find(id);
    if (!w) throw new NotFoundException('webhook not found');
    return w;
  }

  async create(body: CreateWebhookRequest): Promise<WebhookWithSecret> {
    this.checkUrl(body.url);
    const id = randomUUID();
    const secret = newSecret();
    const w = await this.endpoints.insert({ ...body, id, secretBox: this.seal(id, secret) });
    await this.audit.record({
      action: 'webhook.created',
      resourceType: 'webhook',
      resourceId: w.id,
      changes: created({ ...w, secret }, [...given(body), 'secret']),
    });
    return { ...w, secret };
  }

  async update(id: string, body: UpdateWebhookRequest): Promise<Webhook> {
    if (body.url !== undefined) this.checkUrl(body.url);
    const before = await this.endpoints.find(id);
    const w = await this.endpoints.update(id, body);
    if (!w) throw new NotFoundException('webhook not found');
    await this.audit.record({
      action: 'webhook.updated',
      resourceType: 'webhook',
      resourceId: id,
      changes: diff(before, w, given(body)),
    });
    return w;
  }

  async remove(id: string): Promise<void> {
    const before = await this.endpoints.find(id);
    if (!(await this.endpoints.delete(id))) throw new NotFoundException('webhook not found');
    await this.audit.record({
      action: 'webhook.deleted',
      resourceType: 'webhook',
      resourceId: id,
      changes: deleted(before ?? {}, ['url', 'events', 'enabled']),
    });
  }

  /** A new secret signs every attempt from now on, retries of earlier events included. */
  async rotateSecret(id: string): Promise<WebhookWithSecret> {
    const secret = newSecret();
    const w = await this.endpoints.update(id, { secretBox: this.seal(id, secret) });
    if (!w) throw new NotFoundException('webhook not found');
    await this.audit.record({
      action: 'webhook.secret_rotated',
      resourceType: 'webhook',
      resourceId: id,
      changes: { secret: AUDIT_SECRET_CHANGED },
    });
    return { ...w, secret };
  }

  /** Sends `ping` (data: the endpoint) to this endpoint alone, enabled or not. */
  async test(id: string): Promise<WebhookDelivery> {
    const w = await this.get(id);
    const [delivery] = await this.deliveries.record('ping', messageBody('ping', w), id);
    await this.audit.record({
      action: 'webhook.tested',
      resourceType: 'webhook',
      resourceId: id,
      changes: { deliveryId: [null, delivery.id] },
    });
    return delivery;
  }

  async deliveryLog(
    id: string,
    { cursor, limit, status }: WebhookDeliveryListQuery,
  ): Promise<Page<WebhookDelivery>> {
    await this.get(id);
    return this.deliveries.page(id, status, cursor, limit);
  }

  /** Tries a delivery again now, whatever its status; later failures follow the usual schedule. */
  async retry(id: string, deliveryId: string): Promise<WebhookDelivery> {
    const d = await this.deliveries.retryNow(id, deliveryId);
    if (!d) throw new NotFoundException('delivery not found');
    await this.audit.record({
      action: 'webhook_delivery.retried',
      resourceType: 'webhook',
      resourceId: id,
      changes: { deliveryId: [null, deliveryId] },
    });
    return d;
  }

  /** Only the box is stored; the secret itself is answered this once. */
  private seal(id: string, secret: string): Buffer {
    return this.box.seal(secret, webhookSecretContext(this.db.tenantId(), id));
  }

  private checkUrl(url: string): void {
    const refusal = urlRefusal(url, this.allowPrivate);
    if (refusal) throw new BadRequestException([`url: ${refusal}`]);
  }
}
