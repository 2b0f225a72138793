-- API calls per tenant and day (GET /api/v1/tenant/usage), and the
-- platform-wide figures of /metrics.

CREATE TABLE api_usage (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  day        date NOT NULL,
  api_calls  bigint NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
  PRIMARY KEY (tenant_id, day)
);
ALTER TABLE api_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_usage
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- /metrics reports counts across tenants (active tenants, active users,
-- members per tenant) without any tenant's rows: app_platform_stats() opens
-- read access to tenants and tenant_users for its own statement only and
-- returns nothing but aggregates. No other code sets app.platform_stats.
CREATE POLICY platform_stats ON tenants FOR SELECT
  USING (current_setting('app.platform_stats', true) = 'on');
CREATE POLICY platform_stats ON tenant_users FOR SELECT
  USING (current_setting('app.platform_stats', true) = 'on');

CREATE OR REPLACE FUNCTION app_platform_stats()
  RETURNS TABLE (active_tenants bigint, active_users bigint, members_per_tenant integer[])
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  PERFORM set_config('app.platform_stats', 'on', true);
  RETURN QUERY SELECT
    (SELECT count(*) FROM tenants WHERE status = 'active'),
    (SELECT count(DISTINCT tu.user_id) FROM tenant_users tu JOIN users u ON u.id = tu.user_id
      WHERE tu.status = 'active' AND u.is_active),
    (SELECT coalesce(array_agg(n), '{}') FROM (
       SELECT count(*)::int AS n FROM tenant_users WHERE status = 'active' GROUP BY tenant_id) s);
  PERFORM set_config('app.platform_stats', '', true);
END
$$;
