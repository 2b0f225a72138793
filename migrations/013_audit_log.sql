-- The audit log (issue 16 item 1): who changed what in a tenant, and its
-- security events. Written in the transaction of the change it records.
--
-- Append-only for real: the API role is granted SELECT and INSERT only on
-- audit_events (the migrator's ensureGrants, which grants DML on every other
-- table), and no policy lets a tenant update a row. Old rows go only through
-- app_purge_audit_events(), a SECURITY DEFINER function that runs as the
-- migrating owner and may delete only what the retention policy below opens:
-- a tenant's rows older than its audit_retention_days.

ALTER TABLE tenant_configs
  ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 365
    CHECK (audit_retention_days BETWEEN 1 AND 3650);

CREATE TABLE audit_events (
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_type     text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'integration', 'system')),
  -- a user's, key's or integration's id; null for the system
  actor_id       text CHECK (length(actor_id) <= 100),
  -- the name at the time (a person or key may be renamed or go later)
  actor_name     text CHECK (length(actor_name) <= 300),
  action         text NOT NULL CHECK (length(action) <= 100),
  resource_type  text NOT NULL CHECK (length(resource_type) <= 100),
  resource_id    text CHECK (length(resource_id) <= 100),
  -- {field: [old, new]}; a secret's value is never stored, only "changed"
  changes        jsonb NOT NULL DEFAULT '{}',
  ip             text CHECK (length(ip) <= 100),
  user_agent     text CHECK (length(user_agent) <= 1000),
  request_id     text CHECK (length(request_id) <= 200),
  PRIMARY KEY (tenant_id, id)
);
-- the list's keyset order, and a resource's history
CREATE INDEX idx_audit_events_tenant_at ON audit_events (tenant_id, at DESC, id DESC);
CREATE INDEX idx_audit_events_resource ON audit_events (tenant_id, resource_type, resource_id, at DESC, id DESC);

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
-- read and append in the tenant; no UPDATE policy at all
CREATE POLICY tenant_read ON audit_events FOR SELECT
  USING (tenant_id = app_current_tenant());
CREATE POLICY tenant_append ON audit_events FOR INSERT
  WITH CHECK (tenant_id = app_current_tenant());
-- A DELETE (which only the owner may issue: the API role has no grant) reaches
-- only the tenant's rows past its retention.
CREATE POLICY retention ON audit_events FOR DELETE
  USING (tenant_id = app_current_tenant()
         AND at < now() - make_interval(days => (SELECT c.audit_retention_days
                                                   FROM tenant_configs c
                                                  WHERE c.tenant_id = audit_events.tenant_id)));

-- Runs as its owner (the migrating role): each tenant in turn, scoped like a
-- tenant transaction, so that an owner bound by the forced row-level
-- security deletes through the retention policy above. Tenants are listed
-- under the webhook purge's setting (008), for this statement only.
CREATE OR REPLACE FUNCTION app_purge_audit_events() RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  caller text := current_setting('app.tenant_id', true);
  ids uuid[];
  t uuid;
  n bigint;
  total bigint := 0;
BEGIN
  PERFORM set_config('app.webhook_purge', 'on', true);
  SELECT array_agg(id) INTO ids FROM tenants;
  PERFORM set_config('app.webhook_purge', '', true);
  FOREACH t IN ARRAY coalesce(ids, '{}') LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    DELETE FROM audit_events e
     USING tenant_configs c
     WHERE c.tenant_id = t AND e.tenant_id = t
       AND e.at < now() - make_interval(days => c.audit_retention_days);
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(caller, ''), true);
  RETURN total;
END
$$;
