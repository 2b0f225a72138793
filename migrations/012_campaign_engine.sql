-- The campaign engine (issue 14): which dialer places a tenant's calls, and
-- the job a campaign's call causes when it ends. The engine's other jobs
-- (a campaign's dispatch rounds, placing a call, the simulator's steps) are
-- enqueued by the API in the transaction that decides them.

-- dialer ----------------------------------------------------------------------------
-- simulator: calls progress by themselves (the default, and the demo);
-- webhook: a signed call.dispatch POST to the tenant's telephony bridge at
-- dialer_url; vapi, retell: an outbound call through the provider's API.
-- caller_id: the number calls are placed from. dialer_secret: the webhook
-- dialer's signing secret, or the provider's API key, sealed like the
-- integrations' (AES-256-GCM, bound to the tenant). dialer_options: the
-- provider's ids (Vapi phoneNumberId, Retell agent id).
ALTER TABLE tenant_configs
  ADD COLUMN dialer          text NOT NULL DEFAULT 'simulator'
                             CHECK (dialer IN ('simulator', 'webhook', 'vapi', 'retell')),
  ADD COLUMN caller_id       text CHECK (caller_id ~ '^\+[1-9][0-9]{6,14}$'),
  ADD COLUMN dialer_url      text CHECK (length(dialer_url) <= 2000),
  ADD COLUMN dialer_secret   bytea CHECK (length(dialer_secret) <= 2100),
  ADD COLUMN dialer_options  jsonb NOT NULL DEFAULT '{}';

-- a campaign's call that ends ----------------------------------------------------------
-- However its end is reported (the simulator, PATCH /calls/:id by a bridge,
-- a provider's event), the call's lead waits for the engine to record the
-- outcome (retry, give up, suppress): one job per call (job key: its id),
-- enqueued in the transaction that ends the call.
CREATE OR REPLACE FUNCTION app_campaign_call_ended() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_leads cl
              WHERE cl.tenant_id = NEW.tenant_id AND cl.last_call_id = NEW.id AND cl.state = 'dialing') THEN
    PERFORM graphile_worker.add_job(
      'campaign_call_ended',
      json_build_object('tenantId', NEW.tenant_id, 'callId', NEW.id),
      job_key => 'campaign_call_ended:' || NEW.id,
      max_attempts => 10);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_calls_campaign_ended AFTER UPDATE OF status ON calls
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
        AND NEW.status IN ('completed', 'failed', 'no_answer', 'busy', 'voicemail', 'canceled'))
  EXECUTE FUNCTION app_campaign_call_ended();
