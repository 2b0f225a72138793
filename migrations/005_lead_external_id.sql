-- A lead's id in the tenant's CRM: optional, unique in its tenant (the
-- constraint's index also serves the ?externalId= filter).
ALTER TABLE leads
  ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 100),
  ADD CONSTRAINT leads_tenant_id_external_id_key UNIQUE (tenant_id, external_id);
