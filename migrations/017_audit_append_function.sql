-- The audit event's INSERT, planned once per connection (issue 16: auditing
-- may cost a write at most 1.15x). Sent as a plain parameterised statement,
-- PostgreSQL parsed, rewrote and planned the INSERT on every write: its
-- row-level security policies (with self_append's subquery on tenant_users
-- and that table's own policies), the CHECK constraints and the actor's
-- name lookups cost about 0.5 ms, several times the row's write itself. A
-- PL/pgSQL function keeps its statements' plans for the session.
--
-- SECURITY INVOKER (the default): the caller's grants and row-level
-- security apply to the INSERT exactly as when the API sent it itself, and
-- the append-only grants stay the only way in.
CREATE OR REPLACE FUNCTION app_audit_append(
  p_tenant uuid, p_actor_type text, p_actor_id text, p_actor_name text,
  p_name_of_user uuid, p_name_of_key uuid, p_action text, p_resource_type text,
  p_resource_id text, p_changes jsonb, p_ip text, p_user_agent text, p_request_id text
) RETURNS void
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  INSERT INTO audit_events (tenant_id, actor_type, actor_id, actor_name, action,
                            resource_type, resource_id, changes, ip, user_agent, request_id)
  VALUES (p_tenant, p_actor_type, p_actor_id,
          -- the name at the time: given (the system, an integration), else the person's or key's
          COALESCE(p_actor_name,
                   (SELECT full_name FROM users WHERE id = p_name_of_user),
                   (SELECT name FROM api_keys WHERE id = p_name_of_key)),
          p_action, p_resource_type, p_resource_id, p_changes, p_ip, p_user_agent, p_request_id);
END
$$;
