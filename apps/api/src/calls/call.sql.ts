import type { CallListQuery } from '@acc/contracts';
import { Where } from '../common/pagination';

export const CALL_SUMMARY_COLUMNS = `c.id, c.agent_id AS "agentId", c.lead_id AS "leadId", c.direction, c.status,
  c.from_number AS "fromNumber", c.to_number AS "toNumber", c.started_at AS "startedAt",
  c.answered_at AS "answeredAt", c.ended_at AS "endedAt", c.duration_seconds AS "durationSeconds",
  c.end_reason AS "endReason", c.outcome, c.sentiment, c.summary, c.recording_url AS "recordingUrl",
  c.cost::float8 AS cost, c.provider, c.provider_call_id AS "providerCallId",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** The list filters; each has an index leading with tenant_id and ending with (created_at, id). */
export function callFilter(tenantId: string, q: Omit<CallListQuery, 'limit' | 'cursor'>): Where {
  const where = new Where().add('c.tenant_id = ?', tenantId);
  if (q.status) where.add('c.status = ?', q.status);
  if (q.direction) where.add('c.direction = ?', q.direction);
  if (q.agentId) where.add('c.agent_id = ?', q.agentId);
  if (q.leadId) where.add('c.lead_id = ?', q.leadId);
  if (q.from) where.add('c.created_at >= ?::timestamptz', q.from);
  if (q.to) where.add('c.created_at < ?::timestamptz', q.to);
  return where;
}
