#!/usr/bin/env node
// Concurrency check through PgBouncer in transaction mode, the way the API
// talks to the database: every unit of work is one transaction that first
// sets app.tenant_id with set_config(..., true), reads and writes under
// row-level security, and commits. Many clients share few server
// connections; every row a client sees must belong to its own tenant.
//   PGB_URL=postgres://user:pass@127.0.0.1:6432/acc TENANTS=a,b,c node pgbouncer-check.js
'use strict';
const { Pool } = require('pg');

const url = process.env.PGB_URL;
const tenants = (process.env.TENANTS || '').split(',').filter(Boolean);
const clients = Number(process.env.CLIENTS || 40);
const rounds = Number(process.env.ROUNDS || 25);

async function main() {
  const pool = new Pool({ connectionString: url, max: clients });
  let txns = 0;
  let mismatches = 0;
  let errors = 0;
  let leakedOutsideTxn = 0;
  const inserted = new Map(tenants.map((t) => [t, 0]));

  async function worker(w) {
    for (let r = 0; r < rounds; r++) {
      const tenant = tenants[(w + r) % tenants.length];
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
        await c.query('INSERT INTO items (tenant_id, note) VALUES ($1, $2)', [tenant, `w${w}r${r}`]);
        const { rows } = await c.query('SELECT tenant_id FROM items');
        mismatches += rows.filter((x) => x.tenant_id !== tenant).length;
        await c.query('COMMIT');
        inserted.set(tenant, inserted.get(tenant) + 1);
        txns++;
        // Outside any transaction the setting is gone, whichever server
        // connection PgBouncer hands out now.
        const after = await c.query('SELECT count(*)::int AS n FROM items');
        if (after.rows[0].n !== 0) leakedOutsideTxn++;
      } catch (e) {
        errors++;
        process.stderr.write(`worker ${w}: ${e.message}\n`);
        await c.query('ROLLBACK').catch(() => undefined);
      } finally {
        c.release();
      }
    }
  }

  const t0 = Date.now();
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  const ms = Date.now() - t0;

  // Per-tenant totals as each tenant sees them.
  let countMismatch = 0;
  for (const t of tenants) {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query("SELECT set_config('app.tenant_id', $1, true)", [t]);
      const { rows } = await c.query('SELECT count(*)::int AS n FROM items');
      await c.query('COMMIT');
      if (rows[0].n !== inserted.get(t)) countMismatch++;
    } finally {
      c.release();
    }
  }
  await pool.end();
  const summary = { clients, transactions: txns, ms, mismatches, errors, leakedOutsideTxn, countMismatch };
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.exit(mismatches || errors || leakedOutsideTxn || countMismatch || txns !== clients * rounds ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
