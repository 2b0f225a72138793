-- The tenant transaction's first statement also bounds how long the
-- transaction may sit idle waiting for the API (DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS):
-- a transaction left open past it is ended by PostgreSQL and its connection
-- closed, so no request can hold a pooled connection for long doing nothing.
-- Transaction-local like the other settings of app_begin: safe
-- behind PgBouncer in transaction mode. 0 leaves it off (the embedded
-- database, whose one session must never be ended).
-- The same for app_begin_key (an API key's transaction). The shorter
-- signatures stay for instances of the previous release still running
-- during a rolling upgrade.
CREATE OR REPLACE FUNCTION app_begin(
  p_tenant uuid, p_user uuid, p_role text, p_statement_timeout_ms integer,
  p_idle_in_transaction_timeout_ms integer
) RETURNS TABLE (m_role text, m_status text, m_token_version integer, m_user_active boolean)
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  PERFORM set_config('idle_in_transaction_session_timeout',
                     coalesce(p_idle_in_transaction_timeout_ms, 0)::text, true);
  RETURN QUERY SELECT * FROM app_begin(p_tenant, p_user, p_role, p_statement_timeout_ms);
END
$$;

CREATE OR REPLACE FUNCTION app_begin_key(
  p_key_hash bytea, p_role text, p_statement_timeout_ms integer,
  p_idle_in_transaction_timeout_ms integer
) RETURNS TABLE (k_tenant_id uuid, k_id uuid, k_role text)
  LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
  PERFORM set_config('idle_in_transaction_session_timeout',
                     coalesce(p_idle_in_transaction_timeout_ms, 0)::text, true);
  RETURN QUERY SELECT * FROM app_begin_key(p_key_hash, p_role, p_statement_timeout_ms);
END
$$;
