-- Sortable lists (issue 15 item 5): every order of the leads and calls lists
-- is (sort column, created_at, id), all ascending or all descending, and has
-- an index leading with tenant_id in that column order: scanned forward for
-- ascending and backward for descending, it serves the order and the keyset
-- condition, so a later page costs what the first one does. The expressions
-- are the API's (leads.repository.ts, calls.repository.ts) to the letter:
-- PostgreSQL matches an index expression by its text.
--
-- Agents are a handful per workspace and keep their indexes.

-- the name as the console shows it: first and last name, else the phone
CREATE INDEX idx_leads_tenant_name ON leads (
  tenant_id,
  lower(coalesce(nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''), phone)),
  created_at,
  id
);

-- (status, created_at DESC, id DESC) served the status filter only; one
-- direction throughout serves that filter (scanned backward) and the order
DROP INDEX idx_leads_tenant_status;
CREATE INDEX idx_leads_tenant_status ON leads (tenant_id, status, created_at, id);

DROP INDEX idx_calls_tenant_status;
CREATE INDEX idx_calls_tenant_status ON calls (tenant_id, status, created_at, id);

-- a call not ended yet has no duration: it sorts as -1, shorter than any
CREATE INDEX idx_calls_tenant_duration ON calls (
  tenant_id,
  coalesce(duration_seconds, -1),
  created_at,
  id
);
