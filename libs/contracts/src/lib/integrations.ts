import { z } from 'zod';
import { IsoDateTime } from './common';

/** Voice providers whose own webhooks report calls to the API. */
export const INTEGRATION_PROVIDERS = ['vapi', 'retell'] as const;
export const IntegrationProvider = z.enum(INTEGRATION_PROVIDERS);
export type IntegrationProvider = z.infer<typeof IntegrationProvider>;

/** A provider secret: printable, no spaces (header values), bounded. */
const ProviderSecret = z
  .string()
  .trim()
  .min(8, 'must be at least 8 characters')
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** PUT /api/v1/integrations/vapi: the secret of the tenant's Vapi server-URL credential. */
export const SetVapiSecretRequest = z.strictObject({ secret: ProviderSecret });
export type SetVapiSecretRequest = z.infer<typeof SetVapiSecretRequest>;

/** PUT /api/v1/integrations/retell: the Retell API key (with the webhook badge) that signs its webhooks. */
export const SetRetellApiKeyRequest = z.strictObject({ apiKey: ProviderSecret });
export type SetRetellApiKeyRequest = z.infer<typeof SetRetellApiKeyRequest>;

/** One provider's integration; the secret is never answered. */
export const Integration = z.object({
  provider: IntegrationProvider,
  /** the absolute URL to paste into the provider (its server URL or webhook URL) */
  eventsUrl: z.string(),
  configured: z.boolean(),
  /** when the last authentic event arrived, to the minute */
  lastEventAt: IsoDateTime.nullable(),
  updatedAt: IsoDateTime.nullable(),
});
export type Integration = z.infer<typeof Integration>;

export const IntegrationList = z.object({ data: z.array(Integration) });
export type IntegrationList = z.infer<typeof IntegrationList>;

/** The answer to a provider's webhook: 200 whether or not the event became a call, so it is not retried. */
export const ProviderEventReceipt = z.object({
  received: z.literal(true),
  recorded: z.boolean(),
  callId: z.uuid().optional(),
  /** why an authentic event was not recorded (another event type, a web call) */
  reason: z.string().optional(),
});
export type ProviderEventReceipt = z.infer<typeof ProviderEventReceipt>;
