import type { LeadFilter } from '@acc/contracts';
import { Where } from '../common/pagination';
import { likeContains } from '../common/sql';

export const LEAD_COLUMNS = `l.id, l.first_name AS "firstName", l.last_name AS "lastName", l.phone, l.email,
  l.company, l.status, l.source, l.assigned_agent_id AS "assignedAgentId", l.tags, l.timezone,
  l.next_call_at AS "nextCallAt", l.last_contacted_at AS "lastContactedAt",
  l.custom_fields AS "customFields", l.created_at AS "createdAt", l.updated_at AS "updatedAt"`;

/**
 * The list/export filters. Each is served by an index that leads with
 * tenant_id (status, agent) or by the GIN indexes (tags, trigram search).
 */
export function leadFilter(tenantId: string, f: LeadFilter): Where {
  const where = new Where().add('l.tenant_id = ?', tenantId);
  if (f.status) where.add('l.status = ?', f.status);
  if (f.agentId) where.add('l.assigned_agent_id = ?', f.agentId);
  if (f.tag) where.add('l.tags @> ARRAY[?]::text[]', f.tag);
  if (f.q) where.add(`l.search_text LIKE ?`, likeContains(f.q));
  return where;
}
