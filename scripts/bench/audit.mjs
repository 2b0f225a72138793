// Benchmark (j): what the audit log costs a write (issue 16). POST and PATCH
// /api/v1/leads, each with auditing as it runs in production and without it,
// alternating which goes first each round, in one run.
//
// "Without": the API is the same build and sends the same statements; a rule
// on audit_events (created and dropped by the owner between runs, in the
// bench database only) turns the event's INSERT into nothing. So "without"
// still pays the statement's round trip and the building of the row in the
// API; the difference is the event's write (its row, two indexes, the
// row-level security check, the actor's name looked up). The INSERT alone,
// the same SQL as the API role in a tenant transaction, is also timed
// against a statement that does nothing, for the round trip's share.

import { api } from './util.mjs';

const RULE = 'bench_audit_off';

let phoneSerial = 0;
/** A new valid US number per request (another range than (f)'s). */
const nextPhone = () => `+1628${String(2_000_000 + (phoneSerial++ % 7_000_000)).padStart(7, '0')}`;

const events = async (owner, tenantId) =>
  (
    await owner.query('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1', [
      tenantId,
    ])
  ).rows[0].n;

/**
 * (j) POST /api/v1/leads (a new phone each) and PATCH /api/v1/leads/:id (one
 * of 200 leads at random, a new first name each, so that every request
 * changes something and writes its event), with and without the event.
 * Checks that "with" wrote events and "without" none.
 */
export async function benchAuditWrites({
  apiUrl,
  token,
  tenantId,
  owner,
  rounds,
  load,
  log,
  line,
}) {
  const ids = [];
  for (let i = 0; i < 200; i += 20)
    ids.push(
      ...(
        await Promise.all(
          Array.from({ length: 20 }, () =>
            api(apiUrl, token, 'POST', '/api/v1/leads', { phone: nextPhone() }),
          ),
        )
      ).map((l) => l.id),
    );
  let serial = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const kinds = {
    post: {
      method: 'POST',
      path: '/api/v1/leads',
      headers,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ phone: nextPhone() }) }),
    },
    patch: {
      method: 'PATCH',
      path: '/api/v1/leads/x',
      headers,
      setupRequest: (req) => ({
        ...req,
        path: `/api/v1/leads/${ids[Math.floor(Math.random() * ids.length)]}`,
        body: JSON.stringify({ firstName: `Bench ${serial++}` }),
      }),
    },
  };
  const out = { post: { with: [], without: [] }, patch: { with: [], without: [] } };
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [kind, request] of Object.entries(kinds)) {
        for (const which of round % 2 ? ['without', 'with'] : ['with', 'without']) {
          await owner.query(`DROP RULE IF EXISTS ${RULE} ON audit_events`);
          if (which === 'without')
            await owner.query(
              `CREATE RULE ${RULE} AS ON INSERT TO audit_events DO INSTEAD NOTHING`,
            );
          const before = await events(owner, tenantId);
          const r = await load([request]);
          const written = (await events(owner, tenantId)) - before;
          if (which === 'without' ? written !== 0 : written < r.requests * 0.99)
            throw new Error(`(j) ${which} auditing: ${written} events for ${r.requests} requests`);
          out[kind][which].push(r);
          log(line(`(j) ${kind.toUpperCase()} /leads, ${which} audit, round ${round}`, r));
        }
      }
    }
  } finally {
    await owner.query(`DROP RULE IF EXISTS ${RULE} ON audit_events`);
  }
  return out;
}

/**
 * The audit INSERT alone (the API's SQL, a lead.updated event with a
 * one-field diff, the actor's name looked up) vs `SELECT 1`, as the API role
 * in a tenant transaction: 2,000 of each, alternating, the median of each.
 */
export async function auditInsertCost({ appClient, tenantId, userId }) {
  const c = appClient;
  const sql = 'SELECT app_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)';
  const params = [
    tenantId,
    'user',
    userId,
    null,
    userId,
    null,
    'lead.updated',
    'lead',
    userId,
    JSON.stringify({ firstName: ['Bench 1', 'Bench 2'] }),
    '127.0.0.1',
    'bench',
    'bench-req',
  ];
  const ins = [];
  const noop = [];
  await c.query('BEGIN');
  try {
    await c.query('SELECT * FROM app_begin($1, $2, NULL, 30000)', [tenantId, userId]);
    for (let i = 0; i < 2000; i++) {
      for (const [q, p, out] of i % 2
        ? [
            [sql, params, ins],
            ['SELECT 1', [], noop],
          ]
        : [
            ['SELECT 1', [], noop],
            [sql, params, ins],
          ]) {
        const t0 = performance.now();
        await c.query(q, p);
        out.push((performance.now() - t0) * 1000);
      }
    }
  } finally {
    await c.query('ROLLBACK');
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { insertUs: median(ins), noopUs: median(noop) };
}
