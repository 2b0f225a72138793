// Benchmark (f) and (g): what outbound webhooks cost a write, and how fast
// the job worker delivers. A receiver in this process answers every delivery
// at once (204), so the figures are the API's and the queue's, not a
// receiver's.
import { createServer } from 'node:http';
import { api } from './util.mjs';

/** A loopback receiver that counts the deliveries and the distinct webhook-ids it gets. */
export async function startReceiver() {
  const ids = new Set();
  const state = { received: 0, ids };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.received += 1;
      ids.add(req.headers['webhook-id']);
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}/hooks`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  return state;
}

/** Waits until the tenant has no pending delivery (the worker caught up), at most `ms`. */
async function drained(owner, tenantId, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'pending'`,
      [tenantId],
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} deliveries still pending`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let phoneSerial = 0;
/** A new valid US number per request: +1 415 NXX XXXX from a counter. */
const nextPhone = () => `+1415${String(2_000_000 + (phoneSerial++ % 7_000_000)).padStart(7, '0')}`;

/**
 * (f) POST /api/v1/leads with one endpoint subscribed to lead.created vs none:
 * the same tenant and the same endpoint, enabled for one run and disabled for
 * the other (the outbox statement runs either way; with it enabled it also
 * writes the event and its delivery, and its job is enqueued). Rounds
 * alternate which goes first. No worker runs meanwhile (the API has
 * WORKER_IN_API=false, the worker process starts for (g)): this is what the
 * webhook adds to the write itself; delivering is (g). The endpoint and its
 * undelivered events are deleted at the end.
 */
export async function benchWebhookWrites({
  apiUrl,
  token,
  tenantId,
  owner,
  rounds,
  load,
  log,
  line,
}) {
  const hook = await api(apiUrl, token, 'POST', '/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/never-called',
    events: ['lead.created'],
    description: 'bench (f)',
  });
  const requests = [
    {
      method: 'POST',
      path: '/api/v1/leads',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ phone: nextPhone() }) }),
    },
  ];
  const out = { none: [], one: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const which of round % 2 ? ['none', 'one'] : ['one', 'none']) {
      await api(apiUrl, token, 'PATCH', `/api/v1/webhooks/${hook.id}`, {
        enabled: which === 'one',
      });
      const r = await load(requests);
      out[which].push(r);
      log(
        line(
          `(f) POST /leads, ${which === 'one' ? 'one endpoint' : 'no endpoint'}, round ${round}`,
          r,
        ),
      );
    }
  }
  const { rows } = await owner.query(
    'SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2',
    [tenantId, hook.id],
  );
  log(
    `(f) ${rows[0].n} events recorded while the endpoint was enabled (left undelivered: no worker yet)`,
  );
  await api(apiUrl, token, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  return out;
}

/**
 * (g) Deliveries per second: `events` events (with one delivery each) are
 * written in one transaction, as the outbox writes them (the trigger
 * enqueues each delivery's job); the clock runs from that commit until the
 * receiver has them all and every delivery is marked succeeded. The worker
 * is a `main.js worker` process, as in a scale-out deployment.
 */
export async function benchDeliveries({ apiUrl, token, tenantId, owner, rx, events, log }) {
  const hook = await api(apiUrl, token, 'POST', '/api/v1/webhooks', {
    url: rx.url,
    events: ['lead.created'],
    description: 'bench (g)',
  });
  const [before, idsBefore] = [rx.received, rx.ids.size];
  const t0 = performance.now();
  await owner.query(
    `WITH ev AS (
       INSERT INTO webhook_events (tenant_id, type, payload)
       SELECT $1, 'lead.created',
              json_build_object('type', 'lead.created', 'timestamp', now(), 'data', json_build_object('n', g))
         FROM generate_series(1, $3::int) g
       RETURNING id)
     INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id) SELECT $1, $2, id FROM ev`,
    [tenantId, hook.id, events],
  );
  const committedMs = performance.now() - t0;
  const t1 = performance.now();
  const deadline = Date.now() + 20 * 60_000;
  let firstAt;
  // every event once at least (a repeat would not count twice)
  while (rx.ids.size - idsBefore < events) {
    if (firstAt === undefined && rx.received > before) firstAt = performance.now();
    if (Date.now() > deadline)
      throw new Error(`only ${rx.ids.size - idsBefore} of ${events} delivered`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const receivedMs = performance.now() - t1;
  await drained(owner, tenantId);
  const allMs = performance.now() - t1;
  const { rows } = await owner.query(
    `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 GROUP BY 1`,
    [tenantId, hook.id],
  );
  const result = {
    events,
    writeMs: committedMs,
    firstMs: (firstAt ?? t1) - t1,
    receivedMs,
    allMs,
    perSecond: events / (allMs / 1000),
    received: rx.received - before,
    statuses: Object.fromEntries(rows.map((r) => [r.status, r.n])),
  };
  log(
    `(g) ${events} events written and enqueued in one transaction in ${(committedMs / 1000).toFixed(1)} s; ` +
      `first delivery after ${result.firstMs.toFixed(0)} ms, all received in ${(receivedMs / 1000).toFixed(1)} s, ` +
      `all marked succeeded in ${(allMs / 1000).toFixed(1)} s: ${result.perSecond.toFixed(0)} deliveries/s ` +
      `(${JSON.stringify(result.statuses)})`,
  );
  await api(apiUrl, token, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  return result;
}
