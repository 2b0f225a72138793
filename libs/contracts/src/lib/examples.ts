import { z } from 'zod';
import { CreateAgentRequest, UpdateAgentRequest } from './agents';
import { CreateApiKeyRequest } from './api-keys';
import {
  ForgotPasswordRequest,
  LoginRequest,
  ResetLinkRequest,
  ResetPasswordRequest,
  SignupRequest,
} from './auth';
import { CreateCallRequest, UpdateCallRequest } from './calls';
import {
  CallNowRequest,
  CreateCampaignRequest,
  CreateDncRequest,
  UpdateCampaignRequest,
  UpdateDialerRequest,
} from './campaigns';
import { SetRetellApiKeyRequest, SetVapiSecretRequest } from './integrations';
import { AcceptInviteRequest, InvitationTokenRequest } from './invitations';
import { CreateLeadRequest, UpdateLeadRequest } from './leads';
import {
  CreateTenantRequest,
  SwitchTenantRequest,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from './tenants';
import { InviteMemberRequest, UpdateMemberRequest } from './users';
import { CreateWebhookRequest, UpdateWebhookRequest } from './webhooks';

/**
 * One example per request body, shown in the API's document (as the body's
 * schema `example`) and in Swagger UI's "Try it out". Typed against the
 * request's own schema, and parsed by it in the contracts' tests, so an
 * example cannot drift from what the API accepts.
 */
export const REQUEST_EXAMPLES: Array<[z.ZodType, unknown]> = [];

function example<S extends z.ZodType>(schema: S, value: z.input<S>): void {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), examples: [value] });
  REQUEST_EXAMPLES.push([schema, value]);
}

const AGENT_ID = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
const LEAD_ID = '0b7e4c2a-9d1f-4e3b-a5c6-7d8e9f0a1b2c';
const TOKEN = 'kq3Vb8xN2mT7pL5wR9yZ4cF6hJ1sD0gA';

example(SignupRequest, {
  tenantName: 'Acme Dental',
  fullName: 'Dana Whitfield',
  email: 'dana@acme-dental.example',
  password: 'correct horse battery staple',
});
example(LoginRequest, {
  email: 'dana@acme-dental.example',
  password: 'correct horse battery staple',
});
example(ForgotPasswordRequest, { email: 'dana@acme-dental.example' });
example(ResetLinkRequest, { token: TOKEN });
example(ResetPasswordRequest, { token: TOKEN, password: 'a new long passphrase' });
example(UpdateTenantRequest, { name: 'Acme Dental Group' });
example(CreateTenantRequest, { name: 'Acme Dental West' });
example(SwitchTenantRequest, { tenantId: '3a9b1c7d-2e4f-4a6b-8c0d-1e2f3a4b5c6d' });
example(UpdateTenantConfigRequest, {
  timezone: 'America/Chicago',
  callingWindowStart: '09:00',
  callingWindowEnd: '18:00',
  callingDays: [1, 2, 3, 4, 5],
  defaultAgentId: AGENT_ID,
  maxConcurrentCalls: 5,
  recordingEnabled: true,
});
example(InviteMemberRequest, {
  email: 'sam@acme-dental.example',
  fullName: 'Sam Ortiz',
  role: 'member',
});
example(UpdateMemberRequest, { role: 'admin' });
example(InvitationTokenRequest, { token: TOKEN });
example(AcceptInviteRequest, { token: TOKEN, password: 'my own long passphrase' });
example(CreateApiKeyRequest, { name: 'CRM sync', role: 'member' });
example(CreateWebhookRequest, {
  url: 'https://crm.example.com/hooks/acc',
  events: ['lead.created', 'call.ended'],
  description: 'CRM sync',
});
example(UpdateWebhookRequest, { events: ['call.ended'], enabled: true });
example(CreateAgentRequest, {
  name: 'Ava (appointment reminders)',
  systemPrompt: 'You confirm dental appointments. Be brief and friendly.',
  firstMessage: 'Hi, this is Ava from Acme Dental about your appointment.',
  voice: 'nova',
  llmModel: 'gpt-4o-mini',
  maxCallSeconds: 300,
  transferDestinations: [{ label: 'the front desk', phone: '+13125550100' }],
});
example(UpdateAgentRequest, { systemPrompt: 'You confirm and reschedule dental appointments.' });
example(CreateLeadRequest, {
  firstName: 'Margaret',
  lastName: 'Hamilton',
  phone: '+1 312 555 0177',
  email: 'margaret@example.com',
  company: 'Lovelace Engines',
  tags: ['vip'],
  assignedAgentId: AGENT_ID,
});
example(UpdateLeadRequest, { status: 'qualified', tags: ['vip', 'spring'] });
example(CreateCallRequest, {
  agentId: AGENT_ID,
  leadId: LEAD_ID,
  direction: 'outbound',
  status: 'completed',
  fromNumber: '+13125550100',
  toNumber: '+13125550177',
  startedAt: '2026-03-02T15:04:05Z',
  endedAt: '2026-03-02T15:06:40Z',
  outcome: 'appointment_booked',
  summary: 'Confirmed Tuesday at 10am.',
});
example(UpdateCallRequest, {
  status: 'completed',
  endedAt: '2026-03-02T15:06:40Z',
  outcome: 'appointment_booked',
});
example(CreateCampaignRequest, {
  name: 'Spring reminders',
  agentId: AGENT_ID,
  leads: { tags: ['vip'] },
  schedule: {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    window: { start: '09:00', end: '18:00' },
    timezone: 'lead',
  },
  maxConcurrentCalls: 3,
  retry: { maxAttempts: 3, outcomes: ['no_answer', 'busy'], delayMinutes: 120 },
});
example(UpdateCampaignRequest, { name: 'Spring reminders (west)', maxConcurrentCalls: 2 });
example(CallNowRequest, { agentId: AGENT_ID });
example(CreateDncRequest, { phone: '+1 312 555 0190', reason: 'asked not to be called' });
example(UpdateDialerRequest, {
  type: 'webhook',
  url: 'https://bridge.example.com/dial',
  callerId: '+13125550100',
});
example(SetVapiSecretRequest, { secret: 'a-long-random-server-url-secret' });
example(SetRetellApiKeyRequest, { apiKey: 'key_0123456789abcdef0123456789' });
