import type { Client } from 'pg';
import { connectAsOwner, createTestDatabase, TestDatabase } from '../testing/test-database';

/**
 * Ready for a tenant-distributed PostgreSQL (Citus, distribution column
 * tenant_id): it enforces primary keys, unique constraints and foreign keys
 * between distributed tables only when they include that column, and a
 * reference table (tenants, users, password_resets) may not point at a
 * distributed one. Read from the catalog, so a new table is checked too.
 */
const VIOLATIONS = `
WITH tenant_tables AS (
  SELECT c.oid, c.relname, a.attnum AS tid
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
     AND a.attname = 'tenant_id' AND NOT a.attisdropped
)
SELECT format('%s: no primary key', t.relname) AS v
  FROM tenant_tables t
 WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)
UNION ALL
SELECT format('%s: %s %s without tenant_id', t.relname,
              CASE WHEN i.indisprimary THEN 'primary key' ELSE 'unique index' END, i.indexrelid::regclass)
  FROM tenant_tables t JOIN pg_index i ON i.indrelid = t.oid AND i.indisunique
 WHERE NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                    WHERE k.n <= i.indnkeyatts AND k.attnum = t.tid)
UNION ALL
SELECT format('%s: foreign key %s to %s does not match tenant_id to tenant_id', s.relname, k.conname, d.relname)
  FROM pg_constraint k JOIN tenant_tables s ON s.oid = k.conrelid JOIN tenant_tables d ON d.oid = k.confrelid
 WHERE k.contype = 'f'
   AND NOT EXISTS (SELECT 1 FROM unnest(k.conkey, k.confkey) AS m(src, dst)
                    WHERE m.src = s.tid AND m.dst = d.tid)
UNION ALL
SELECT format('%s: foreign key %s from a table without tenant_id to %s', k.conrelid::regclass, k.conname, d.relname)
  FROM pg_constraint k JOIN tenant_tables d ON d.oid = k.confrelid
 WHERE k.contype = 'f' AND k.conrelid NOT IN (SELECT oid FROM tenant_tables)
ORDER BY 1`;

describe('tenant keys: every key of a tenant table includes tenant_id', () => {
  let db: TestDatabase;
  let owner: Client;
  const violations = async () => (await owner.query(VIOLATIONS)).rows.map((r) => r.v as string);

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
  });

  afterAll(async () => {
    await owner?.end();
    await db?.drop();
  });

  it('checks the tenant tables of the schema, and the global ones are not among them', async () => {
    const { rows } = await owner.query(
      `SELECT string_agg(table_name, ',' ORDER BY table_name) AS t FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
    );
    const tables = (rows[0].t as string).split(',');
    expect(tables).toEqual(
      expect.arrayContaining([
        'agents',
        'api_usage',
        'calls',
        'leads',
        'tenant_configs',
        'tenant_users',
      ]),
    );
    expect(tables).not.toEqual(expect.arrayContaining(['tenants']));
    expect(tables).not.toEqual(expect.arrayContaining(['users']));
    expect(tables).not.toEqual(expect.arrayContaining(['password_resets']));
  });

  it('finds no primary key, unique constraint or index, or foreign key without tenant_id', async () => {
    expect(await violations()).toEqual([]);
  });

  it('keeps the constraint names the API reads (leads_tenant_id_phone_key)', async () => {
    const { rows } = await owner.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid IN ('agents'::regclass, 'leads'::regclass, 'calls'::regclass) AND contype IN ('p', 'u')
        ORDER BY conname`,
    );
    expect(rows).toEqual([
      { conname: 'agents_pkey', def: 'PRIMARY KEY (tenant_id, id)' },
      { conname: 'calls_pkey', def: 'PRIMARY KEY (tenant_id, id)' },
      { conname: 'leads_pkey', def: 'PRIMARY KEY (tenant_id, id)' },
      { conname: 'leads_tenant_id_external_id_key', def: 'UNIQUE (tenant_id, external_id)' },
      { conname: 'leads_tenant_id_phone_key', def: 'UNIQUE (tenant_id, phone)' },
    ]);
  });

  it('reports each kind of breach (the check itself can fail)', async () => {
    await owner.query('BEGIN');
    try {
      await owner.query(`
        CREATE TABLE scratch_notes (
          id uuid PRIMARY KEY, tenant_id uuid NOT NULL, code text UNIQUE, agent_id uuid,
          FOREIGN KEY (agent_id, id) REFERENCES agents (tenant_id, id));
        CREATE UNIQUE INDEX scratch_notes_lower_code ON scratch_notes (lower(code));
        CREATE TABLE scratch_global (agent_id uuid, tenant uuid,
          FOREIGN KEY (tenant, agent_id) REFERENCES agents (tenant_id, id))`);
      expect(await violations()).toEqual([
        'scratch_global: foreign key scratch_global_tenant_agent_id_fkey from a table without tenant_id to agents',
        'scratch_notes: foreign key scratch_notes_agent_id_id_fkey to agents does not match tenant_id to tenant_id',
        'scratch_notes: primary key scratch_notes_pkey without tenant_id',
        'scratch_notes: unique index scratch_notes_code_key without tenant_id',
        'scratch_notes: unique index scratch_notes_lower_code without tenant_id',
      ]);
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});
