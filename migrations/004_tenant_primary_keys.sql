-- Every key of a tenant table includes tenant_id: agents, leads and calls
-- get PRIMARY KEY (tenant_id, id) instead of (id). A tenant-distributed
-- PostgreSQL (Citus, distribution column tenant_id) only enforces primary
-- keys, unique constraints and foreign keys between distributed tables that
-- include that column; with it, each is checked inside one tenant's shard.
-- The (tenant_id, id) unique constraints the foreign keys pointed at become
-- the primary keys themselves, so the foreign keys are re-pointed at them
-- (same names, same actions). Ids stay unique on their own (gen_random_uuid).
--
-- Each ALTER rebuilds that table's key index under an exclusive lock: time
-- it on a copy of a large install (docs/operations.md, "Beyond one PostgreSQL").

ALTER TABLE tenant_configs DROP CONSTRAINT tenant_configs_tenant_id_default_agent_id_fkey;
ALTER TABLE leads DROP CONSTRAINT leads_tenant_id_assigned_agent_id_fkey;
ALTER TABLE calls
  DROP CONSTRAINT calls_tenant_id_agent_id_fkey,
  DROP CONSTRAINT calls_tenant_id_lead_id_fkey;

ALTER TABLE agents
  DROP CONSTRAINT agents_pkey,
  DROP CONSTRAINT agents_tenant_id_id_key,
  ADD CONSTRAINT agents_pkey PRIMARY KEY (tenant_id, id);
ALTER TABLE leads
  DROP CONSTRAINT leads_pkey,
  DROP CONSTRAINT leads_tenant_id_id_key,
  ADD CONSTRAINT leads_pkey PRIMARY KEY (tenant_id, id);
ALTER TABLE calls
  DROP CONSTRAINT calls_pkey,
  ADD CONSTRAINT calls_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE tenant_configs
  ADD CONSTRAINT tenant_configs_tenant_id_default_agent_id_fkey
  FOREIGN KEY (tenant_id, default_agent_id) REFERENCES agents (tenant_id, id)
  ON DELETE SET NULL (default_agent_id);
ALTER TABLE leads
  ADD CONSTRAINT leads_tenant_id_assigned_agent_id_fkey
  FOREIGN KEY (tenant_id, assigned_agent_id) REFERENCES agents (tenant_id, id)
  ON DELETE SET NULL (assigned_agent_id);
ALTER TABLE calls
  ADD CONSTRAINT calls_tenant_id_agent_id_fkey
  FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id),
  ADD CONSTRAINT calls_tenant_id_lead_id_fkey
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id)
  ON DELETE SET NULL (lead_id);
