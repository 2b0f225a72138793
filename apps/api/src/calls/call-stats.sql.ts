/**
 * The dashboard figures in one SQL statement: totals, by status, by outcome
 * (calls that have one),
 * by agent and by day in the tenant's time zone, all aggregated by
 * PostgreSQL over the (tenant_id, created_at) index, none in JavaScript.
 * $4: one agent's calls only, or NULL.
 */
export const CALL_STATS_SQL = `
WITH cfg AS (SELECT coalesce((SELECT timezone FROM tenant_configs WHERE tenant_id = $1), 'UTC') AS tz),
c AS (
  SELECT c.status, c.outcome, c.agent_id, c.duration_seconds, c.cost, c.created_at,
         c.status IN ('in_progress', 'completed') AS connected
    FROM calls c
   WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3
     AND ($4::uuid IS NULL OR c.agent_id = $4)
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

/**
 * groupBy=agentVersion (issue 16, item 3): the same figures per version of
 * each agent, with its outcome counts, and the versions saved in the range
 * (the marks on the dashboard's chart). $1 tenant, [$2, $3), $4 agent or NULL.
 */
export const CALL_VERSION_STATS_SQL = `
WITH c AS (
  SELECT c.agent_id, c.agent_version, c.outcome, c.duration_seconds, c.cost,
         c.status IN ('in_progress', 'completed') AS connected
    FROM calls c
   WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3
     AND ($4::uuid IS NULL OR c.agent_id = $4)
),
o AS (
  SELECT agent_id, agent_version,
         json_agg(json_build_object('outcome', outcome, 'count', n) ORDER BY n DESC, outcome) AS outcomes
    FROM (SELECT agent_id, agent_version, outcome, count(*) AS n
            FROM c WHERE outcome IS NOT NULL GROUP BY 1, 2, 3) x
   GROUP BY 1, 2
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
            'agentId', g.agent_id, 'agentName', a.name, 'version', g.agent_version,
            'versionCreatedAt', v.created_at, 'calls', g.calls, 'connected', g.connected,
            'connectRate', round(g.connected::numeric / g.calls, 4),
            'avgDurationSeconds', coalesce(round(g.avg_duration, 1), 0), 'totalCost', g.cost,
            'outcomes', coalesce(o.outcomes, '[]'))
          ORDER BY a.name, g.agent_id, g.agent_version DESC), '[]')
     FROM (SELECT agent_id, agent_version, count(*) AS calls, count(*) FILTER (WHERE connected) AS connected,
                  avg(duration_seconds) AS avg_duration, coalesce(sum(cost), 0) AS cost
             FROM c WHERE agent_version IS NOT NULL GROUP BY 1, 2) g
     JOIN agents a ON a.tenant_id = $1 AND a.id = g.agent_id
     JOIN agent_versions v ON v.tenant_id = $1 AND v.agent_id = g.agent_id AND v.version = g.agent_version
     LEFT JOIN o ON o.agent_id = g.agent_id AND o.agent_version = g.agent_version) AS "byAgentVersion",
  (SELECT coalesce(json_agg(json_build_object(
            'agentId', v.agent_id, 'agentName', a.name, 'version', v.version, 'at', v.created_at)
          ORDER BY v.created_at, a.name, v.version), '[]')
     FROM agent_versions v
     JOIN agents a ON a.tenant_id = v.tenant_id AND a.id = v.agent_id
    WHERE v.tenant_id = $1 AND v.version > 1 AND v.created_at >= $2 AND v.created_at < $3
      AND ($4::uuid IS NULL OR v.agent_id = $4)) AS "versionChanges"`;
