-- A person's own events in a workspace's audit log (issue 16): a signup's
-- owner, an invitation answered, a password reset completed. Answering an
-- invitation runs in a transaction scoped to the invitee (from another
-- workspace's session, or from the mailed link with no workspace at all),
-- and so does a reset: not to the workspace whose log records it. This
-- policy lets such a transaction append exactly that: an event by the
-- current user, about themselves, in a workspace where they hold a
-- membership (invited or active). Nothing else widens: no read, no update.
CREATE POLICY self_append ON audit_events FOR INSERT
  WITH CHECK (actor_type = 'user'
              AND actor_id = app_current_user()::text
              AND resource_type IN ('user', 'member')
              AND resource_id = actor_id
              AND EXISTS (SELECT 1 FROM tenant_users tu
                           WHERE tu.tenant_id = audit_events.tenant_id
                             AND tu.user_id = app_current_user()));
