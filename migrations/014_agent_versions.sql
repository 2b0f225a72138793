-- Agent versions (issue 16, items 2 and 3): every saved change to what an
-- agent says and how it behaves is a numbered version, and each call records
-- the version it ran with, so that outcomes can be compared per version.
--
-- The database numbers and writes the versions itself (triggers below), in
-- the transaction of the change, whatever path wrote the agent (the API, a
-- provider's event creating one, the seed): no writer can forget one.

-- config: the behaviour fields of the agent at that version (camelCase keys,
-- as the API answers them). created_by: the person whose transaction wrote it
-- (app.user_id); created_by_key: the API key, set by the API in the same
-- transaction; neither: the system or a provider's event.
-- restored_from: the version this one restored.
CREATE TABLE agent_versions (
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_id        uuid NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  config          jsonb NOT NULL,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_by_key  uuid,
  restored_from   integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, agent_id, version),
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by_key) REFERENCES api_keys (tenant_id, id)
    ON DELETE SET NULL (created_by_key)
);

ALTER TABLE agent_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_versions
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The agent's current version number.
ALTER TABLE agents ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

-- What a version holds: the fields that change how a call goes. Not the
-- name, status, direction nor the provider ids (bookkeeping, not behaviour).
CREATE OR REPLACE FUNCTION app_agent_config(a agents) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS
$$
  SELECT jsonb_build_object(
    'language', a.language,
    'voice', a.voice,
    'llmProvider', a.llm_provider,
    'llmModel', a.llm_model,
    'temperature', a.temperature,
    'systemPrompt', a.system_prompt,
    'firstMessage', a.first_message,
    'maxCallSeconds', a.max_call_seconds,
    'silenceTimeoutSeconds', a.silence_timeout_seconds,
    'voicemailBehavior', a.voicemail_behavior,
    'voicemailMessage', a.voicemail_message,
    'transferDestinations', a.transfer_destinations,
    'dispositionCodes', to_jsonb(a.disposition_codes))
$$;

-- A change to any of those fields makes the next version number...
CREATE OR REPLACE FUNCTION app_agent_version_bump() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF app_agent_config(NEW) IS DISTINCT FROM app_agent_config(OLD) THEN
    NEW.version := OLD.version + 1;
  ELSE
    NEW.version := OLD.version; -- the number is the database's, never a writer's
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER trg_agents_version_bump BEFORE UPDATE ON agents
  FOR EACH ROW EXECUTE FUNCTION app_agent_version_bump();

-- ...and a new agent, or a new number, writes the version's row.
CREATE OR REPLACE FUNCTION app_agent_version_write() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.version <> OLD.version THEN
    INSERT INTO agent_versions (tenant_id, agent_id, version, config, created_by)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, app_agent_config(NEW), app_current_user());
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_agents_version_write AFTER INSERT OR UPDATE ON agents
  FOR EACH ROW EXECUTE FUNCTION app_agent_version_write();

-- Existing agents: version 1 is what they are now.
INSERT INTO agent_versions (tenant_id, agent_id, version, config, created_at)
SELECT a.tenant_id, a.id, 1, app_agent_config(a), a.created_at FROM agents a;

-- calls ---------------------------------------------------------------------------
-- The version a call ran with: the writer's when it names one (a dispatched
-- call, a provider that says which configuration ran), else the version that
-- was current when the call started (or now, for a call not started yet).
ALTER TABLE calls ADD COLUMN agent_version integer,
  ADD CONSTRAINT calls_agent_version_fkey FOREIGN KEY (tenant_id, agent_id, agent_version)
    REFERENCES agent_versions (tenant_id, agent_id, version);

CREATE OR REPLACE FUNCTION app_call_agent_version() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF NEW.agent_version IS NULL THEN
    NEW.agent_version := coalesce(
      (SELECT max(v.version) FROM agent_versions v
        WHERE v.tenant_id = NEW.tenant_id AND v.agent_id = NEW.agent_id
          AND v.created_at <= coalesce(NEW.started_at, now())),
      (SELECT min(v.version) FROM agent_versions v
        WHERE v.tenant_id = NEW.tenant_id AND v.agent_id = NEW.agent_id));
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER trg_calls_agent_version BEFORE INSERT ON calls
  FOR EACH ROW EXECUTE FUNCTION app_call_agent_version();

-- Existing calls: the only version there is (their updated_at left as it was).
ALTER TABLE calls DISABLE TRIGGER trg_calls_updated;
UPDATE calls SET agent_version = 1;
ALTER TABLE calls ENABLE TRIGGER trg_calls_updated;
CREATE INDEX idx_calls_tenant_agent_version ON calls (tenant_id, agent_id, agent_version);
