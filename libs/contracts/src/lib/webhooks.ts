import { z } from 'zod';
import { IsoDateTime, PageQuery, Uuid, pageOf } from './common';

/** What an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'call.created',
  'call.updated',
  'call.ended',
  'lead.created',
  'lead.updated',
  'lead.deleted',
  'leads.imported',
  'campaign.started',
  'campaign.paused',
  'campaign.completed',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Every type a delivery can carry: the subscribable ones and `ping` (POST /webhooks/:id/test). */
export type WebhookDeliveryType = WebhookEventType | 'ping';

/** The call events: what the old `webhookUrl` setting received. */
export const CALL_EVENT_TYPES: WebhookEventType[] = ['call.created', 'call.updated', 'call.ended'];

export const WEBHOOK_URL_MAX = 2000;

/**
 * An absolute http(s) URL without credentials. Whether plain http and
 * private addresses are accepted is the server's setting
 * (WEBHOOK_ALLOW_PRIVATE); this is only the shape.
 */
export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .max(WEBHOOK_URL_MAX)
  .refine((u) => {
    // refinements also run after a failed check: an unparsable value is reported by .url() alone
    const p = URL.canParse(u) ? new URL(u) : null;
    return !p || (p.username === '' && p.password === '');
  }, 'must not contain a user name or password');

const Events = z
  .array(WebhookEventType)
  .min(1, 'subscribe to at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((e) => [...new Set(e)]);

const Description = z.string().trim().max(500).nullable();

export const CreateWebhookRequest = z.strictObject({
  url: WebhookUrl,
  events: Events,
  description: Description.optional(),
  enabled: z.boolean().default(true),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;
export type CreateWebhookInput = z.input<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = z
  .strictObject({
    url: WebhookUrl,
    events: Events,
    description: Description,
    enabled: z.boolean(),
  })
  .partial();
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

export const Webhook = z.object({
  id: Uuid,
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  /** why the API disabled it (failing for days); null when enabled or disabled by a person */
  disabledReason: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Webhook = z.infer<typeof Webhook>;

/** POST /webhooks and POST /webhooks/:id/rotate-secret: the only answers that carry the secret. */
export const WebhookWithSecret = Webhook.extend({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/),
});
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const WebhookListQuery = PageQuery;
export type WebhookListQuery = z.infer<typeof WebhookListQuery>;
export const WebhookPage = pageOf(Webhook);

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export const WebhookDeliveryStatus = z.enum(WEBHOOK_DELIVERY_STATUSES);

/** One event sent to one endpoint: its attempts so far. */
export const WebhookDelivery = z.object({
  id: Uuid,
  /** also the `webhook-id` header of every attempt */
  eventId: Uuid,
  type: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int(),
  /** of the last attempt; null when none was answered (timeout, connection error) */
  responseStatus: z.number().int().nullable(),
  /** the first KB of the last answer */
  responseBody: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  /** why the last attempt failed, when it got no answer or one that is not 2xx */
  error: z.string().nullable(),
  lastAttemptAt: IsoDateTime.nullable(),
  /** null once succeeded or failed */
  nextAttemptAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryListQuery = PageQuery.extend({
  status: WebhookDeliveryStatus.optional(),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuery>;
export const WebhookDeliveryPage = pageOf(WebhookDelivery);

export const DeliveryParams = z.strictObject({ id: Uuid, deliveryId: Uuid });

/** The body of every webhook request. */
export interface WebhookMessage<T = unknown> {
  type: WebhookDeliveryType;
  /** when the event happened (ISO 8601 UTC) */
  timestamp: string;
  /** the resource as the API returns it */
  data: T;
}
