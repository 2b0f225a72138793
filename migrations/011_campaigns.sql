-- Campaigns (issue 14): the tenant's do-not-call list, campaigns and the
-- frozen list of leads each campaign calls, with one state per lead. The
-- engine's jobs and the dialer settings come in 012.

-- do-not-call list ----------------------------------------------------------------
-- A number here is never dialed by any campaign nor by "Call now". Who added
-- it: a person (created_by), an API key (created_by_key) or a call whose
-- disposition asked for it (call_id).
CREATE TABLE dnc_numbers (
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  phone           text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  reason          text CHECK (length(reason) <= 500),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_by_key  uuid,
  call_id         uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT dnc_numbers_tenant_id_phone_key UNIQUE (tenant_id, phone),
  FOREIGN KEY (tenant_id, created_by_key) REFERENCES api_keys (tenant_id, id)
    ON DELETE SET NULL (created_by_key),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE SET NULL (call_id)
);
CREATE INDEX idx_dnc_numbers_tenant_created ON dnc_numbers (tenant_id, created_at DESC, id DESC);
CREATE TRIGGER trg_dnc_numbers_updated BEFORE UPDATE ON dnc_numbers
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- campaigns ------------------------------------------------------------------------
-- The schedule, caps and retry rules are the campaign's own, filled from the
-- tenant's calling settings when it is created (docs/decisions.md).
CREATE TABLE campaigns (
  tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                    uuid NOT NULL DEFAULT gen_random_uuid(),
  name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  agent_id              uuid NOT NULL,
  status                text NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled')),
  -- which leads: a filter {status?, tags?, agentId?, q?, externalId?} or {ids: [...]},
  -- frozen into campaign_leads when the campaign starts
  leads                 jsonb NOT NULL,
  start_at              timestamptz,
  end_at                timestamptz,
  days                  text[] NOT NULL
                        CHECK (days <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  window_start          text NOT NULL CHECK (window_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  window_end            text NOT NULL CHECK (window_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  -- 'lead' (each lead's own zone) or an IANA zone
  timezone              text NOT NULL DEFAULT 'lead' CHECK (length(timezone) <= 64),
  max_concurrent_calls  integer CHECK (max_concurrent_calls BETWEEN 1 AND 1000),
  max_attempts          integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
  retry_outcomes        text[] NOT NULL
                        CHECK (retry_outcomes <@ ARRAY['no_answer', 'busy', 'voicemail', 'failed']),
  retry_delay_minutes   integer NOT NULL CHECK (retry_delay_minutes BETWEEN 1 AND 43200),
  created_by            uuid REFERENCES users (id) ON DELETE SET NULL,
  started_at            timestamptz,
  finished_at           timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id),
  CHECK (window_start < window_end),
  CHECK (end_at IS NULL OR start_at IS NULL OR start_at < end_at)
);
CREATE INDEX idx_campaigns_tenant_created ON campaigns (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_campaigns_tenant_status ON campaigns (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX idx_campaigns_tenant_agent ON campaigns (tenant_id, agent_id);
CREATE TRIGGER trg_campaigns_updated BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One row per lead of a started campaign. state: waiting (not yet tried),
-- scheduled (a later attempt is due at next_attempt_at), dialing (a call is
-- in progress: last_call_id), completed, failed (attempts used up), skipped
-- (never to be dialed: reason_code says why). A deleted lead leaves its campaigns.
CREATE TABLE campaign_leads (
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  campaign_id      uuid NOT NULL,
  lead_id          uuid NOT NULL,
  state            text NOT NULL DEFAULT 'waiting'
                   CHECK (state IN ('waiting', 'scheduled', 'dialing', 'completed', 'failed', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_call_id     uuid,
  next_attempt_at  timestamptz,
  -- why it waits, or why it ended: a sentence for people, and a code to count by
  reason           text,
  reason_code      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id, lead_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, last_call_id) REFERENCES calls (tenant_id, id)
    ON DELETE SET NULL (last_call_id)
);
-- the engine's pick: due leads of a campaign in order
CREATE INDEX idx_campaign_leads_due ON campaign_leads (tenant_id, campaign_id, state, next_attempt_at);
CREATE INDEX idx_campaign_leads_lead ON campaign_leads (tenant_id, lead_id);
CREATE INDEX idx_campaign_leads_call ON campaign_leads (tenant_id, last_call_id)
  WHERE last_call_id IS NOT NULL;
CREATE TRIGGER trg_campaign_leads_updated BEFORE UPDATE ON campaign_leads
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- row-level security ---------------------------------------------------------------
ALTER TABLE dnc_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE dnc_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dnc_numbers
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaigns
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE campaign_leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_leads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaign_leads
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
