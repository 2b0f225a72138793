-- Invitations with consent. An invitation is a pending membership
-- (tenant_users.status = 'invited') plus its row here: the name the inviter
-- typed (shown to the tenant until the invitee accepts, never the account's
-- own), who invited, and the mailed link (SHA-256 of its token) with its
-- expiry. Accepting activates the membership and deletes the row; declining
-- or revoking deletes the membership, and the row with it (foreign key).
-- Invitation links used to be password_resets rows with purpose 'invite':
-- they move here, so links already mailed keep working through
-- POST /auth/accept-invite, and password_resets is for resets only.

CREATE TABLE invitations (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL,
  full_name   text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
  invited_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_users (tenant_id, user_id) ON DELETE CASCADE
);
-- a mailed link names no tenant: looked up by its hash alone (32 random bytes: no collisions)
CREATE INDEX idx_invitations_token_hash ON invitations (token_hash);
-- the invitee's pending invitations, newest first
CREATE INDEX idx_invitations_user_id ON invitations (user_id, created_at DESC, id DESC);
CREATE TRIGGER trg_invitations_updated BEFORE UPDATE ON invitations
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Every invited membership gets its invitation: with its unspent link when
-- there is one, otherwise an already expired one that an admin can resend.
-- A migrating owner that is not a superuser is bound by the forced
-- row-level security of tenant_users: lifted for these statements only.
ALTER TABLE tenant_users NO FORCE ROW LEVEL SECURITY;
INSERT INTO invitations (tenant_id, user_id, full_name, token_hash, expires_at, created_at)
SELECT tu.tenant_id, tu.user_id, u.full_name,
       coalesce(link.token_hash, sha256(convert_to(gen_random_uuid()::text, 'UTF8'))),
       coalesce(link.expires_at, now()), tu.created_at
  FROM tenant_users tu
  JOIN users u ON u.id = tu.user_id
  LEFT JOIN LATERAL (
    SELECT pr.token_hash, pr.expires_at FROM password_resets pr
     WHERE pr.user_id = tu.user_id AND pr.invited_tenant_id = tu.tenant_id
       AND pr.purpose = 'invite' AND pr.used_at IS NULL
     ORDER BY pr.created_at DESC LIMIT 1) link ON true
 WHERE tu.status = 'invited';
ALTER TABLE tenant_users FORCE ROW LEVEL SECURITY;

DELETE FROM password_resets WHERE purpose = 'invite';
ALTER TABLE password_resets DROP COLUMN invited_tenant_id, DROP COLUMN purpose;

-- row-level security --------------------------------------------------------------
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
-- The invitee, signed in to any tenant (or to none, after a mailed link
-- named them), sees their own invitations and ends them by answering.
CREATE POLICY own_invitations ON invitations FOR SELECT
  USING (user_id = app_current_user());
CREATE POLICY answer_own_invitation ON invitations FOR DELETE
  USING (user_id = app_current_user());

-- Accepting is the invitee's own act: they may activate their own invited
-- membership while its invitation is live, and nothing else of it.
CREATE POLICY accept_own_invitation ON tenant_users FOR UPDATE
  USING (user_id = app_current_user() AND status = 'invited'
         AND EXISTS (SELECT 1 FROM invitations i
                      WHERE i.tenant_id = tenant_users.tenant_id
                        AND i.user_id = tenant_users.user_id AND i.expires_at > now()))
  WITH CHECK (user_id = app_current_user() AND status = 'active');
-- Declining removes their own membership while it is only invited.
CREATE POLICY decline_own_invitation ON tenant_users FOR DELETE
  USING (user_id = app_current_user() AND status = 'invited');

-- A mailed link is all an unauthenticated request has: app_invitation_by_token()
-- opens read access to the one invitation with that token hash, for its own
-- statement only (like app_platform_stats()). No other code sets
-- app.invitation_token.
CREATE POLICY invitation_token ON invitations FOR SELECT
  USING (token_hash = decode(NULLIF(current_setting('app.invitation_token', true), ''), 'hex'));

CREATE OR REPLACE FUNCTION app_invitation_by_token(p_token_hash bytea)
  RETURNS TABLE (id uuid, tenant_id uuid, user_id uuid)
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  PERFORM set_config('app.invitation_token', encode(p_token_hash, 'hex'), true);
  RETURN QUERY
    SELECT i.id, i.tenant_id, i.user_id FROM invitations i
     WHERE i.token_hash = p_token_hash AND i.expires_at > now();
  PERFORM set_config('app.invitation_token', '', true);
END
$$;
