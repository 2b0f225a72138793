import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

export interface TenantFixture {
  tenantId: string;
  userId: string;
  agentId: string;
  leadId: string;
  callId: string;
}

/** One tenant with a row in every tenant table, written as the owner (no RLS). */
export async function insertTenant(owner: Client, label: string): Promise<TenantFixture> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const agentId = randomUUID();
  const leadId = randomUUID();
  const callId = randomUUID();
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
  return { tenantId, userId, agentId, leadId, callId };
}
