/**
 * The dashboard figures in one SQL statement: totals, by status, by outcome
 * (calls that have one),
 * by agent and by day in the tenant's time zone, all aggregated by
 * PostgreSQL over the (tenant_id, created_at) index, none in JavaScript.
 */
export const CALL_STATS_SQL = `
WITH cfg AS (SELECT coalesce((SELECT timezone FROM tenant_configs WHERE tenant_id = $1), 'UTC') AS tz),
c AS (
  SELECT c.status, c.outcome, c.agent_id, c.duration_seconds, c.cost, c.created_at,
         c.status IN ('in_progress', 'completed') AS connected
    FROM calls c
   WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3
)
SELECT
  (SELECT tz FROM cfg) AS timezone,
  (SELECT json_build_object(
      'calls', count(*), 'connected', count(*) FILTER (WHERE connected),
      'connectRate', coalesce(round(count(*) FILTER (WHERE connected)::numeric / nullif(count(*), 0), 4), 0),
      'avgDurationSeconds', coalesce(round(avg(duration_seconds), 1), 0),
      'totalCost', coalesce(sum(cost), 0))
     FROM c) AS totals,
  (SELECT coalesce(json_agg(json_build_object('status', status, 'count', n) ORDER BY n DESC, status), '[]')
     FROM (SELECT status, count(*) AS n FROM c GROUP BY status) s) AS "byStatus",
  (SELECT coalesce(json_agg(json_build_object('outcome', outcome, 'count', n) ORDER BY n DESC, outcome), '[]')
     FROM (SELECT outcome, count(*) AS n FROM c WHERE outcome IS NOT NULL GROUP BY 1) o) AS "byOutcome",
  (SELECT coalesce(json_agg(json_build_object(
            'agentId', g.agent_id, 'agentName', a.name, 'calls', g.calls, 'connected', g.connected,
            'connectRate', round(g.connected::numeric / g.calls, 4),
            'avgDurationSeconds', coalesce(round(g.avg_duration, 1), 0), 'totalCost', g.cost)
          ORDER BY g.calls DESC, a.name), '[]')
     FROM (SELECT agent_id, count(*) AS calls, count(*) FILTER (WHERE connected) AS connected,
                  avg(duration_seconds) AS avg_duration, coalesce(sum(cost), 0) AS cost
             FROM c GROUP BY agent_id) g
     JOIN agents a ON a.tenant_id = $1 AND a.id = g.agent_id) AS "byAgent",
  (SELECT coalesce(json_agg(json_build_object('day', day, 'calls', n, 'connected', k) ORDER BY day), '[]')
     FROM (SELECT to_char(created_at AT TIME ZONE (SELECT tz FROM cfg), 'YYYY-MM-DD') AS day,
                  count(*) AS n, count(*) FILTER (WHERE connected) AS k
             FROM c GROUP BY 1) d) AS "byDay"`;
