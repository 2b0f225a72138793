// One autocannon measurement: warm-up, then the measured run with exact
// latency percentiles (every response time kept) and the CPU the server and
// PostgreSQL used during it.
import autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { cpuSecondsOf, machineCpu, postgresCpu, postgresCpuSince } from './util.mjs';

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Connection i starts at requests[i % length] and loops from there.
 * autocannon starts every connection on the first request of the list, at
 * every run: all 50 on the first tenant's token at once, then moving through
 * the tenants in a bunch, rather than spread over them (the API queues a
 * tenant's requests beyond its share of the pool; the bare server has no
 * such rule). onResponse gets the connection's starting index last.
 */
function fire(opts, onResponse) {
  const { requests } = opts;
  const starts = new Map();
  let next = 0;
  const setupClient = (client) => {
    if (!requests || requests.length < 2) return;
    const start = next++ % requests.length;
    starts.set(client, start);
    if (start > 0) client.setRequests([...requests.slice(start), ...requests.slice(0, start)]);
  };
  const instance = autocannon({ timeout: 10, ...opts, setupClient });
  if (onResponse)
    instance.on('response', (client, status, bytes, ms) =>
      onResponse(client, status, bytes, ms, starts.get(client) ?? 0),
    );
  return instance; // thenable: resolves with the results
}

/**
 * Sends `amount` requests to a freshly started server, discarded, and returns
 * the server CPU they cost per request: V8 compiles a server's hot path over
 * its first few thousand requests, so measured rounds come after this.
 */
export async function warmUp({ url, requests, connections, amount, serverPid }) {
  const cpu0 = cpuSecondsOf(serverPid);
  const r = await fire({ url, requests, connections, amount });
  return ((cpuSecondsOf(serverPid) - cpu0) * 1e6) / Math.max(1, r['2xx']);
}

/**
 * Runs `warmup` seconds (discarded) then `duration` seconds against url with
 * the requests sequence (each connection loops over it). serverPid: the
 * process whose CPU is charged per request. `kinds` (optional, one label per
 * request of the sequence) splits the latencies by label: a connection sends
 * its requests in order, one at a time, from its start, so its n-th answer is
 * to requests[(start + n) % length].
 */
export async function measure({
  url,
  requests,
  connections,
  duration,
  warmup,
  serverPid,
  db,
  kinds,
}) {
  if (warmup > 0) await fire({ url, requests, connections, duration: warmup });
  const times = [];
  const byKind = new Map((kinds ?? []).map((k) => [k, []]));
  const answered = new Map();
  const cpu0 = cpuSecondsOf(serverPid);
  const pg0 = postgresCpu(db);
  const m0 = machineCpu();
  const r = await fire(
    { url, requests, connections, duration },
    (client, status, _bytes, ms, start) => {
      const n = answered.get(client) ?? 0;
      answered.set(client, n + 1);
      if (status < 200 || status >= 300) return;
      times.push(ms);
      if (kinds) byKind.get(kinds[(start + n) % kinds.length]).push(ms);
    },
  );
  const cpu1 = cpuSecondsOf(serverPid);
  const pgUsed = postgresCpuSince(pg0, db);
  const m1 = machineCpu();
  times.sort((a, b) => a - b);
  const total = r.requests.total;
  const ok = times.length;
  return {
    rps: ok / r.duration,
    total,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodeStats,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: ok ? times.reduce((a, b) => a + b, 0) / ok : NaN,
    max: times[times.length - 1],
    seconds: r.duration,
    serverCpuUsPerReq: ((cpu1 - cpu0) * 1e6) / Math.max(1, ok),
    serverCpuShare: (cpu1 - cpu0) / r.duration,
    postgresCpuUsPerReq: (pgUsed * 1e6) / Math.max(1, ok),
    machineBusy: (m1.busy - m0.busy) / Math.max(1e-9, m1.total - m0.total),
    load1: loadavg()[0],
    byKind: Object.fromEntries(
      [...byKind].map(([k, xs]) => {
        xs.sort((a, b) => a - b);
        const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
        return [k, { ok: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99), mean }];
      }),
    ),
  };
}
