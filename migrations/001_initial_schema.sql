-- AI Call Center: initial schema.
-- Isolation is enforced twice: the API filters by tenant, and row-level
-- security (FORCEd, so even the table owner is subject to it) returns nothing
-- when the transaction-local setting app.tenant_id is missing.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE OR REPLACE FUNCTION app_current_user() RETURNS uuid
  LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS
$$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- tenants ------------------------------------------------------------------
CREATE TABLE tenants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  domain      text CHECK (domain = lower(domain)),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  plan        text NOT NULL DEFAULT 'free',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_tenants_domain ON tenants (domain) WHERE domain IS NOT NULL;

-- users (global identities; a user belongs to tenants through tenant_users) --
CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  password_hash       text,
  full_name           text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
  current_tenant_id   uuid REFERENCES tenants (id) ON DELETE SET NULL,
  is_active           boolean NOT NULL DEFAULT true,
  token_version       integer NOT NULL DEFAULT 0,
  password_changed_at timestamptz,
  last_login_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_users_email ON users (lower(email));
CREATE INDEX idx_users_current_tenant_id ON users (current_tenant_id);

-- tenant_users --------------------------------------------------------------
CREATE TABLE tenant_users (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('viewer', 'member', 'admin', 'owner')),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX idx_tenant_users_tenant_id ON tenant_users (tenant_id, created_at DESC, user_id);
CREATE INDEX idx_tenant_users_user_id ON tenant_users (user_id);

-- password_resets (also invitations: purpose = 'invite') --------------------
CREATE TABLE password_resets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  purpose       text NOT NULL DEFAULT 'reset' CHECK (purpose IN ('reset', 'invite')),
  -- for an invitation: the tenant whose membership it activates
  invited_tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  requester_ip  inet,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_password_resets_user_id ON password_resets (user_id, created_at DESC);

-- agents ---------------------------------------------------------------------
CREATE TABLE agents (
  id                      uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  direction               text NOT NULL DEFAULT 'outbound' CHECK (direction IN ('inbound', 'outbound', 'both')),
  language                text NOT NULL DEFAULT 'en-US',
  voice                   text NOT NULL,
  llm_provider            text NOT NULL,
  llm_model               text NOT NULL,
  temperature             real NOT NULL DEFAULT 0.7 CHECK (temperature BETWEEN 0 AND 2),
  system_prompt           text NOT NULL DEFAULT '',
  first_message           text NOT NULL DEFAULT '',
  max_call_seconds        integer NOT NULL DEFAULT 600 CHECK (max_call_seconds BETWEEN 10 AND 14400),
  silence_timeout_seconds integer NOT NULL DEFAULT 10 CHECK (silence_timeout_seconds BETWEEN 1 AND 120),
  voicemail_behavior      text NOT NULL DEFAULT 'hang_up' CHECK (voicemail_behavior IN ('hang_up', 'leave_message')),
  voicemail_message       text,
  transfer_destinations   jsonb NOT NULL DEFAULT '[]',
  disposition_codes       text[] NOT NULL DEFAULT '{}',
  settings                jsonb NOT NULL DEFAULT '{}',
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  -- target of the tenant-qualified foreign keys below: a row can only point
  -- at an agent of its own tenant.
  UNIQUE (tenant_id, id)
);
CREATE INDEX idx_agents_tenant_created ON agents (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_agents_tenant_status ON agents (tenant_id, status, created_at DESC, id DESC);

-- tenant_configs ---------------------------------------------------------------
CREATE TABLE tenant_configs (
  tenant_id             uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  timezone              text NOT NULL DEFAULT 'UTC',
  calling_window_start  text NOT NULL DEFAULT '09:00',
  calling_window_end    text NOT NULL DEFAULT '18:00',
  calling_days          smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
  default_agent_id      uuid,
  max_concurrent_calls  integer NOT NULL DEFAULT 5 CHECK (max_concurrent_calls BETWEEN 1 AND 1000),
  recording_enabled     boolean NOT NULL DEFAULT true,
  webhook_url           text,
  settings              jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, default_agent_id) REFERENCES agents (tenant_id, id) ON DELETE SET NULL (default_agent_id)
);

-- leads ------------------------------------------------------------------------
CREATE TABLE leads (
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  first_name         text,
  last_name          text,
  phone              text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email              text,
  company            text,
  status             text NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'lost', 'do_not_call')),
  source             text,
  assigned_agent_id  uuid,
  tags               text[] NOT NULL DEFAULT '{}',
  timezone           text,
  next_call_at       timestamptz,
  last_contacted_at  timestamptz,
  custom_fields      jsonb NOT NULL DEFAULT '{}' CHECK (pg_column_size(custom_fields) <= 16384),
  -- one text for the free-text search, kept by the database so every writer agrees.
  search_text        text GENERATED ALWAYS AS (
                       lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
                             phone || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))
                     ) STORED,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, phone),
  FOREIGN KEY (tenant_id, assigned_agent_id) REFERENCES agents (tenant_id, id) ON DELETE SET NULL (assigned_agent_id)
);
CREATE INDEX idx_leads_tenant_created ON leads (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_leads_tenant_status ON leads (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX idx_leads_tenant_agent ON leads (tenant_id, assigned_agent_id, created_at DESC, id DESC);
CREATE INDEX idx_leads_tags ON leads USING gin (tags);
CREATE INDEX idx_leads_search ON leads USING gin (search_text gin_trgm_ops);

-- calls ------------------------------------------------------------------------
CREATE TABLE calls (
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_id          uuid NOT NULL,
  lead_id           uuid,
  direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  status            text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'ringing', 'in_progress', 'completed', 'failed',
                                      'no_answer', 'busy', 'voicemail', 'canceled')),
  from_number       text NOT NULL,
  to_number         text NOT NULL,
  started_at        timestamptz,
  answered_at       timestamptz,
  ended_at          timestamptz,
  duration_seconds  integer GENERATED ALWAYS AS (
                      CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL
                           THEN greatest(0, floor(extract(epoch FROM (ended_at - answered_at))))::integer
                      END
                    ) STORED,
  end_reason        text,
  outcome           text,
  sentiment         text CHECK (sentiment IN ('positive', 'neutral', 'negative')),
  summary           text,
  transcript        jsonb NOT NULL DEFAULT '[]',
  recording_url     text,
  cost              numeric(12, 4) CHECK (cost >= 0),
  provider          text,
  provider_call_id  text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id),
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE SET NULL (lead_id),
  CHECK ((provider IS NULL) = (provider_call_id IS NULL))
);
-- duplicate webhook deliveries of one provider call land on one row
CREATE UNIQUE INDEX idx_calls_provider ON calls (tenant_id, provider, provider_call_id)
  WHERE provider IS NOT NULL;
CREATE INDEX idx_calls_tenant_created ON calls (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_calls_tenant_status ON calls (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX idx_calls_tenant_agent ON calls (tenant_id, agent_id, created_at DESC, id DESC);
CREATE INDEX idx_calls_tenant_lead ON calls (tenant_id, lead_id, created_at DESC, id DESC);

-- updated_at -------------------------------------------------------------------
CREATE TRIGGER trg_tenants_updated BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_users_updated BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_tenant_users_updated BEFORE UPDATE ON tenant_users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_tenant_configs_updated BEFORE UPDATE ON tenant_configs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_agents_updated BEFORE UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_leads_updated BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER trg_calls_updated BEFORE UPDATE ON calls FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- row-level security -------------------------------------------------------------
-- Fail closed: with app.tenant_id unset or empty, app_current_tenant() is NULL
-- and no row matches. WITH CHECK stops rows being written into, or moved to,
-- another tenant.
ALTER TABLE tenant_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_configs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_configs
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE tenant_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_users
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
-- A signed-in user may list their own memberships in every tenant (login,
-- tenant switcher); reading only, writes stay tenant-scoped.
CREATE POLICY own_memberships ON tenant_users FOR SELECT
  USING (user_id = app_current_user());

ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON leads
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE calls FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calls
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The tenants table is keyed by the tenant id itself: a transaction sees its
-- own tenant and the tenants its user belongs to.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());
CREATE POLICY member_tenants ON tenants FOR SELECT
  USING (id IN (SELECT tenant_id FROM tenant_users WHERE user_id = app_current_user()));

-- Resolving a tenant from a request's host name happens before any tenant is
-- known: the lookup sets app.host and may see only the tenant on that domain.
CREATE POLICY domain_lookup ON tenants FOR SELECT
  USING (domain = NULLIF(current_setting('app.host', true), ''));

-- The tenant transaction's first statement: applies every transaction-local
-- setting in one round trip (never a session-level SET, so a pooled or
-- PgBouncer-shared connection carries nothing to its next user), then returns
-- the caller's membership, read under the new settings.
CREATE OR REPLACE FUNCTION app_begin(
  p_tenant uuid, p_user uuid, p_role text, p_statement_timeout_ms integer
) RETURNS TABLE (m_role text, m_status text, m_token_version integer, m_user_active boolean)
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  PERFORM set_config('app.tenant_id', coalesce(p_tenant::text, ''), true),
          set_config('app.user_id', coalesce(p_user::text, ''), true),
          set_config('statement_timeout', coalesce(p_statement_timeout_ms, 0)::text, true);
  -- Only when the session runs as a privileged role (embedded PGlite, a
  -- superuser in development): drop to the API role so RLS applies.
  IF p_role IS NOT NULL THEN
    PERFORM set_config('role', p_role, true);
  END IF;
  IF p_tenant IS NOT NULL AND p_user IS NOT NULL THEN
    RETURN QUERY
      SELECT tu.role, tu.status, u.token_version, u.is_active
        FROM tenant_users tu JOIN users u ON u.id = tu.user_id
       WHERE tu.tenant_id = p_tenant AND tu.user_id = p_user;
  END IF;
END
$$;
