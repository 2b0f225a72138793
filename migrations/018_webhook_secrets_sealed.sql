-- Webhook endpoints' signing secrets are sealed at rest, like the providers'
-- (010) and the dialer's: a database dump or a read replica no longer holds
-- what signs a tenant's webhooks. secret_box is the app's SecretBox
-- (AES-256-GCM) of the secret, its context the tenant and the endpoint
-- (webhook:<tenant>:<endpoint>), so a box copied into another row does not
-- open. The key is not in the database, so SQL cannot seal: the rows
-- written before this file keep their plain secret until the job engine's
-- webhook_secrets_seal job (one per tenant that has any, enqueued below, in
-- this transaction) seals them in that tenant's transaction and clears the
-- plain column. Until then a delivery signs with the plain secret, so
-- receivers see no change. The plain column goes in a later migration,
-- once every install has run the job.

ALTER TABLE webhook_endpoints ADD COLUMN secret_box bytea;
ALTER TABLE webhook_endpoints ALTER COLUMN secret DROP NOT NULL;
COMMENT ON COLUMN webhook_endpoints.secret IS
  'plain signing secret of a row written before migration 018, until the webhook_secrets_seal job seals it; never written since';
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_one_secret
  CHECK ((secret IS NULL) <> (secret_box IS NULL));

-- No new plaintext: an insert or an update may only clear the plain column.
CREATE OR REPLACE FUNCTION app_webhook_secret_sealed() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF NEW.secret IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.secret IS DISTINCT FROM OLD.secret) THEN
    RAISE EXCEPTION 'webhook_endpoints.secret is no longer written: store secret_box (sealed)'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER trg_webhook_endpoints_secret_sealed BEFORE INSERT OR UPDATE OF secret ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION app_webhook_secret_sealed();

-- One sealing job per tenant with plain secrets. A migrating owner that is
-- not a superuser is bound by the forced row-level security: lifted for
-- this statement only (as in 008). A statement in PL/pgSQL is planned only
-- when reached: a database with no plain secret (a new one) needs no job
-- engine schema to take this migration.
ALTER TABLE webhook_endpoints NO FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM webhook_endpoints WHERE secret IS NOT NULL) THEN
    PERFORM graphile_worker.add_job(
              'webhook_secrets_seal',
              json_build_object('tenantId', tenant_id),
              job_key => 'webhook_secrets_seal:' || tenant_id,
              max_attempts => 25)
       FROM (SELECT DISTINCT tenant_id FROM webhook_endpoints WHERE secret IS NOT NULL) t;
  END IF;
END
$$;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
