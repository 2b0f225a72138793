-- An invitation of a new email creates a password-less account. When its
-- last membership is removed (the invitation withdrawn), the account goes
-- too, so the email can sign up again. Whether the account is still a member
-- (or invited) elsewhere is invisible under the remover's tenant context:
-- app_drop_unclaimed_user() opens read access to that one user's memberships
-- for its own statements only (like app_platform_stats()). No other code sets
-- app.unclaimed_user.
CREATE POLICY unclaimed_user ON tenant_users FOR SELECT
  USING (user_id = NULLIF(current_setting('app.unclaimed_user', true), '')::uuid);

-- Deletes the user when it never set a password and belongs to no tenant;
-- true when it did. Its reset and invitation rows go with it (cascade).
CREATE OR REPLACE FUNCTION app_drop_unclaimed_user(p_user uuid) RETURNS boolean
  LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
  dropped boolean;
BEGIN
  -- Waits for a concurrent invitation of this account (it holds the row FOR
  -- KEY SHARE until it commits), so the membership check below sees it.
  PERFORM 1 FROM users WHERE id = p_user AND password_hash IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM set_config('app.unclaimed_user', p_user::text, true);
  DELETE FROM users u
   WHERE u.id = p_user AND u.password_hash IS NULL
     AND NOT EXISTS (SELECT 1 FROM tenant_users tu WHERE tu.user_id = p_user);
  dropped := FOUND;
  PERFORM set_config('app.unclaimed_user', '', true);
  RETURN dropped;
END
$$;
