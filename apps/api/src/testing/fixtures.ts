import { createHash, randomUUID } from 'node:crypto';
import type { Client } from 'pg';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export interface TenantFixture {
  tenantId: string;
  userId: string;
  agentId: string;
  leadId: string;
  callId: string;
  /** an account invited (pending) to the tenant, with its invitation */
  inviteeId: string;
  /** a member API key of the tenant; its key is `apiKey`, stored as its SHA-256 */
  apiKeyId: string;
  apiKey: string;
  /** a number on the do-not-call list, a campaign and its one lead (leadId) */
  dncId: string;
  campaignId: string;
  /** a webhook endpoint, an event and its delivery to that endpoint */
  endpointId: string;
  eventId: string;
  deliveryId: string;
  /** an audit event of now, and one past the default retention (365 days) */
  auditId: string;
  oldAuditId: string;
}

/** One tenant with a row in every tenant table, written as the owner (no RLS). */
export async function insertTenant(owner: Client, label: string): Promise<TenantFixture> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const agentId = randomUUID();
  const leadId = randomUUID();
  const callId = randomUUID();
  const inviteeId = randomUUID();
  const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  await owner.query(
    `INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3);
     `.trim(),
    [tenantId, `Tenant ${label}`, `t-${tenantId.slice(0, 8)}`],
  );
  await owner.query(`INSERT INTO tenant_configs (tenant_id) VALUES ($1)`, [tenantId]);
  await owner.query(
    `INSERT INTO users (id, email, full_name, current_tenant_id) VALUES ($1, $2, $3, $4)`,
    [userId, `${label.toLowerCase()}-${userId.slice(0, 8)}@example.com`, `User ${label}`, tenantId],
  );
  await owner.query(
    `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`,
    [tenantId, userId],
  );
  await owner.query(
    `INSERT INTO agents (id, tenant_id, name, voice, llm_provider, llm_model)
     VALUES ($1, $2, $3, 'alloy', 'openai', 'gpt-4o-mini')`,
    [agentId, tenantId, `Agent ${label}`],
  );
  await owner.query(
    `INSERT INTO leads (id, tenant_id, first_name, phone, assigned_agent_id) VALUES ($1, $2, $3, $4, $5)`,
    [leadId, tenantId, `Lead ${label}`, phone, agentId],
  );
  await owner.query(
    `INSERT INTO calls (id, tenant_id, agent_id, lead_id, direction, from_number, to_number)
     VALUES ($1, $2, $3, $4, 'outbound', '+14155550000', $5)`,
    [callId, tenantId, agentId, leadId, phone],
  );
  await owner.query(
    `INSERT INTO api_usage (tenant_id, day, api_calls) VALUES ($1, current_date, 1)`,
    [tenantId],
  );
  await owner.query(`INSERT INTO users (id, email, full_name) VALUES ($1, $2, $3)`, [
    inviteeId,
    `invitee-${inviteeId.slice(0, 8)}@example.com`,
    `Invitee ${label}`,
  ]);
  await owner.query(
    `INSERT INTO tenant_users (tenant_id, user_id, role, status) VALUES ($1, $2, 'member', 'invited')`,
    [tenantId, inviteeId],
  );
  await owner.query(
    `INSERT INTO invitations (tenant_id, user_id, full_name, invited_by, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + interval '7 days')`,
    [tenantId, inviteeId, `Invitee ${label}`, userId, sha256(inviteeId)],
  );
  const apiKeyId = randomUUID();
  const apiKey = `acc_${apiKeyId.replace(/-/g, '')}${'0'.repeat(11)}`;
  await owner.query(
    `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, role, created_by)
     VALUES ($1, $2, $3, $4, $5, 'member', $6)`,
    [tenantId, apiKeyId, `Key ${label}`, apiKey.slice(0, 10), sha256(apiKey), userId],
  );
  const dncId = randomUUID();
  await owner.query(
    `INSERT INTO dnc_numbers (tenant_id, id, phone, reason, created_by) VALUES ($1, $2, '+14155550999', 'asked', $3)`,
    [tenantId, dncId, userId],
  );
  const campaignId = randomUUID();
  await owner.query(
    `INSERT INTO campaigns (tenant_id, id, name, agent_id, leads, days, window_start, window_end,
                            max_attempts, retry_outcomes, retry_delay_minutes)
     VALUES ($1, $2, $3, $4, '{}', '{mon}', '09:00', '18:00', 3, '{no_answer}', 60)`,
    [tenantId, campaignId, `Campaign ${label}`, agentId],
  );
  await owner.query(
    `INSERT INTO campaign_leads (tenant_id, campaign_id, lead_id) VALUES ($1, $2, $3)`,
    [tenantId, campaignId, leadId],
  );
  await owner.query(
    `INSERT INTO integrations (tenant_id, provider, secret_box) VALUES ($1, 'vapi', $2)`,
    [tenantId, Buffer.alloc(48, 1)],
  );
  const endpointId = randomUUID();
  const eventId = randomUUID();
  const deliveryId = randomUUID();
  await owner.query(
    `INSERT INTO webhook_endpoints (tenant_id, id, url, events, secret_box)
     VALUES ($1, $2, $3, '{lead.created}', $4)`,
    [tenantId, endpointId, `https://hooks.example.com/${label}`, Buffer.alloc(48, 2)],
  );
  await owner.query(
    `INSERT INTO webhook_events (tenant_id, id, type, payload) VALUES ($1, $2, 'lead.created', '{}')`,
    [tenantId, eventId],
  );
  await owner.query(
    `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, status, next_attempt_at)
     VALUES ($1, $2, $3, $4, 'failed', NULL)`,
    [tenantId, deliveryId, endpointId, eventId],
  );
  const auditId = randomUUID();
  const oldAuditId = randomUUID();
  await owner.query(
    `INSERT INTO audit_events (tenant_id, id, at, actor_type, actor_id, action, resource_type, resource_id)
     VALUES ($1, $2, now(), 'user', $4, 'lead.created', 'lead', $5),
            ($1, $3, now() - interval '400 days', 'user', $4, 'lead.updated', 'lead', $5)`,
    [tenantId, auditId, oldAuditId, userId, leadId],
  );
  return {
    tenantId,
    userId,
    agentId,
    leadId,
    callId,
    inviteeId,
    apiKeyId,
    apiKey,
    dncId,
    campaignId,
    endpointId,
    eventId,
    deliveryId,
    auditId,
    oldAuditId,
  };
}
