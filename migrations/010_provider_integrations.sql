-- Call events straight from Vapi and Retell (issue 13, part 3).
--
-- integrations: a tenant's credentials for one voice provider's webhook.
-- The secret (Vapi's server-URL secret, Retell's API key) must be read back
-- to check an HMAC, so it cannot be hashed: the API stores it sealed with
-- AES-256-GCM (secret_box = version byte | 12-byte IV | 16-byte tag |
-- ciphertext, the tenant and provider bound in as associated data) and never
-- answers it. last_event_at: when the last authenticated event arrived.
CREATE TABLE integrations (
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider       text NOT NULL CHECK (provider IN ('vapi', 'retell')),
  secret_box     bytea NOT NULL CHECK (length(secret_box) BETWEEN 30 AND 2100),
  last_event_at  timestamptz,
  updated_by     uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider)
);
CREATE TRIGGER trg_integrations_updated BEFORE UPDATE ON integrations
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON integrations
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The provider's id of an agent: a call event names the provider's assistant
-- (Vapi assistantId, Retell agent_id), which maps to at most one agent per tenant.
ALTER TABLE agents
  ADD COLUMN vapi_assistant_id text CHECK (length(vapi_assistant_id) BETWEEN 1 AND 200),
  ADD COLUMN retell_agent_id text CHECK (length(retell_agent_id) BETWEEN 1 AND 200),
  ADD CONSTRAINT agents_tenant_id_vapi_assistant_id_key UNIQUE (tenant_id, vapi_assistant_id),
  ADD CONSTRAINT agents_tenant_id_retell_agent_id_key UNIQUE (tenant_id, retell_agent_id);

-- The provider's structured analysis of a call (Vapi analysis.structuredData
-- and successEvaluation, Retell call_analysis), kept as it came.
ALTER TABLE calls ADD COLUMN analysis jsonb;
