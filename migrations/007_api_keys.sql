-- Workspace API keys. A key is `acc_` + 43 base62 characters (32 random
-- bytes); only its SHA-256 is stored, with the first characters for display.
-- A key acts in its tenant at its role (never owner) until it expires or is
-- deleted (revoked): a deleted row is a key that no longer exists.

CREATE TABLE api_keys (
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- `acc_` and the first characters of the secret: enough to tell keys apart
  prefix        text NOT NULL CHECK (prefix ~ '^acc_[0-9A-Za-z]{6}$'),
  key_hash      bytea NOT NULL CHECK (length(key_hash) = 32),
  role          text NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
  created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  expires_at    timestamptz,
  -- written in batches, never on a request's path (docs/decisions.md)
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- a presented key names no tenant: looked up by its hash alone (32 random bytes: no collisions)
CREATE INDEX idx_api_keys_key_hash ON api_keys (key_hash);
CREATE INDEX idx_api_keys_tenant_created ON api_keys (tenant_id, created_at DESC, id DESC);
CREATE TRIGGER trg_api_keys_updated BEFORE UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
-- A request that presents a key knows no tenant yet: app_begin_key() opens
-- read access to the one key with that hash, for its own statement only (like
-- app_invitation_by_token()). No other code sets app.api_key_hash.
CREATE POLICY key_lookup ON api_keys FOR SELECT
  USING (key_hash = decode(NULLIF(current_setting('app.api_key_hash', true), ''), 'hex'));

-- The first statement of a transaction authenticated by an API key, instead
-- of app_begin(): the same transaction-local settings, and the key's tenant,
-- id and role in the same round trip, so a revoked or expired key is refused
-- on its very next request. No row: no such key (unknown, altered, revoked)
-- or expired; app.tenant_id then stays empty and every tenant table reads
-- nothing.
CREATE OR REPLACE FUNCTION app_begin_key(
  p_key_hash bytea, p_role text, p_statement_timeout_ms integer
) RETURNS TABLE (k_tenant_id uuid, k_id uuid, k_role text)
  LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
  v_tenant uuid;
  v_id uuid;
  v_role text;
BEGIN
  PERFORM set_config('app.tenant_id', '', true),
          set_config('app.user_id', '', true),
          set_config('statement_timeout', coalesce(p_statement_timeout_ms, 0)::text, true);
  -- as in app_begin(): a privileged session drops to the API role first, so
  -- the lookup below runs under row-level security too
  IF p_role IS NOT NULL THEN
    PERFORM set_config('role', p_role, true);
  END IF;
  PERFORM set_config('app.api_key_hash', encode(p_key_hash, 'hex'), true);
  SELECT k.tenant_id, k.id, k.role INTO v_tenant, v_id, v_role
    FROM api_keys k
   WHERE k.key_hash = p_key_hash AND (k.expires_at IS NULL OR k.expires_at > now());
  PERFORM set_config('app.api_key_hash', '', true);
  IF v_tenant IS NOT NULL THEN
    PERFORM set_config('app.tenant_id', v_tenant::text, true);
    RETURN QUERY SELECT v_tenant, v_id, v_role;
  END IF;
END
$$;
