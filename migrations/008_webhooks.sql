-- Outbound webhooks: a tenant's endpoints, the events its changes cause
-- (the outbox), and one delivery per event and endpoint.
--
-- An event and its deliveries are written in the tenant transaction of the
-- change that causes them, and each pending delivery has a job on the job
-- engine (graphile-worker, schema graphile_worker, installed by the
-- migrator before these files) enqueued by a trigger in that same
-- transaction: a change that rolls back leaves neither; one that commits
-- has its job, whatever happens to the process next.

CREATE TABLE webhook_endpoints (
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  url              text NOT NULL CHECK (length(url) <= 2000),
  description      text CHECK (length(description) <= 500),
  events           text[] NOT NULL CHECK (cardinality(events) > 0),
  enabled          boolean NOT NULL DEFAULT true,
  -- the signing secret (whsec_ + base64): the API must read it to sign, so it is not hashed
  secret           text NOT NULL,
  -- since when every attempt has failed (null after a success): disables the endpoint after days
  failing_since    timestamptz,
  disabled_reason  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX idx_webhook_endpoints_tenant_created ON webhook_endpoints (tenant_id, created_at DESC, id DESC);
CREATE TRIGGER trg_webhook_endpoints_updated BEFORE UPDATE ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- payload: the request body exactly as sent, {"type","timestamp","data"}; json (not jsonb)
-- keeps its bytes, so every retry sends and signs the same body.
CREATE TABLE webhook_events (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  type        text NOT NULL,
  payload     json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX idx_webhook_events_tenant_created ON webhook_events (tenant_id, created_at);

CREATE TABLE webhook_deliveries (
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  endpoint_id      uuid NOT NULL,
  event_id         uuid NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz DEFAULT now(),
  last_attempt_at  timestamptz,
  response_status  integer,
  -- the first KB of the last answer
  response_body    text,
  duration_ms      integer,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events (tenant_id, id) ON DELETE CASCADE,
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX idx_webhook_deliveries_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC);
CREATE INDEX idx_webhook_deliveries_event ON webhook_deliveries (tenant_id, event_id);
CREATE TRIGGER trg_webhook_deliveries_updated BEFORE UPDATE ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A pending delivery has exactly one job, due at next_attempt_at (job key:
-- the delivery's id, so a new time replaces the old job); a delivery that
-- is no longer pending has none. graphile_worker.add_job is SQL, so this
-- runs in the transaction that writes the delivery.
CREATE OR REPLACE FUNCTION app_webhook_delivery_job() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF NEW.status = 'pending' THEN
    PERFORM graphile_worker.add_job(
      'webhook_delivery',
      json_build_object('tenantId', NEW.tenant_id, 'deliveryId', NEW.id),
      run_at => NEW.next_attempt_at,
      job_key => 'webhook_delivery:' || NEW.id,
      max_attempts => 5);
  ELSE
    PERFORM graphile_worker.remove_job('webhook_delivery:' || NEW.id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_webhook_deliveries_job_insert AFTER INSERT ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION app_webhook_delivery_job();
CREATE TRIGGER trg_webhook_deliveries_job_update AFTER UPDATE OF status, next_attempt_at ON webhook_deliveries
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.next_attempt_at IS DISTINCT FROM NEW.next_attempt_at)
  EXECUTE FUNCTION app_webhook_delivery_job();

-- row-level security ------------------------------------------------------------
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_events
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The delivery log is kept 30 days: a daily job deletes older events (their
-- deliveries go with them) in every tenant. app_purge_webhook_events() opens
-- delete access to old events for its own statement only, like
-- app_platform_stats(); no other code sets app.webhook_purge. (A DELETE with
-- a WHERE clause reads the rows too, hence SELECT.)
CREATE POLICY webhook_purge ON webhook_events FOR DELETE
  USING (current_setting('app.webhook_purge', true) = 'on');
CREATE POLICY webhook_purge_read ON webhook_events FOR SELECT
  USING (current_setting('app.webhook_purge', true) = 'on');
CREATE POLICY webhook_purge ON tenants FOR SELECT
  USING (current_setting('app.webhook_purge', true) = 'on');

CREATE OR REPLACE FUNCTION app_purge_webhook_events(p_before timestamptz) RETURNS bigint
  LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
  n bigint;
BEGIN
  PERFORM set_config('app.webhook_purge', 'on', true);
  -- per tenant, so that the (tenant_id, created_at) index serves each
  DELETE FROM webhook_events e USING tenants t
   WHERE e.tenant_id = t.id AND e.created_at < p_before;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.webhook_purge', '', true);
  RETURN n;
END
$$;

-- The webhookUrl setting becomes an endpoint subscribed to the call events
-- (with a new secret: the old setting had none), then goes. A migrating
-- owner that is not a superuser is bound by the forced row-level security:
-- lifted for these statements only.
ALTER TABLE tenant_configs NO FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints NO FORCE ROW LEVEL SECURITY;
INSERT INTO webhook_endpoints (tenant_id, url, description, events, secret)
SELECT tenant_id, webhook_url, 'moved from the webhookUrl setting',
       ARRAY['call.created', 'call.updated', 'call.ended'],
       -- 32 random bytes from two random UUIDs (core PostgreSQL has no gen_random_bytes)
       'whsec_' || encode(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 'base64')
  FROM tenant_configs
 WHERE webhook_url IS NOT NULL;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_configs FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_configs DROP COLUMN webhook_url;
