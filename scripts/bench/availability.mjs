// (i) of npm run bench: one tenant attacks, another works (issue 12). The
// attacker (the big tenant, 60,000 leads) opens ten exports it never reads
// and ten CSV uploads that announce 100 kB and send a byte a second, over
// raw sockets; the victim (an ordinary tenant) meanwhile lists leads,
// creates one, reads its tenant and /health, one request after another.
// The same victim traffic runs first without the attack: the figures are
// the victim's latency both ways, measured in one run.
import { connect } from 'node:net';
import { fmt } from './util.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An HTTP/1.1 request written by hand on a socket, as a hostile client would. */
function raw(url, method, path, headers) {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname);
  socket.on('error', () => undefined);
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${u.host}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return socket;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function victimTraffic(apiUrl, token, ms, phoneBase) {
  const took = [];
  let failed = 0;
  let i = 0;
  const auth = { authorization: `Bearer ${token}` };
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const n = i++;
    const calls = [
      () => fetch(`${apiUrl}/api/v1/leads?limit=20`, { headers: auth }),
      () =>
        fetch(`${apiUrl}/api/v1/leads`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ phone: `+1212${phoneBase + n}`, firstName: 'Victim' }),
        }),
      () => fetch(`${apiUrl}/api/v1/tenant`, { headers: auth }),
      () => fetch(`${apiUrl}/health`),
    ];
    for (const call of calls) {
      const t0 = performance.now();
      const res = await call();
      await res.arrayBuffer();
      took.push(performance.now() - t0);
      if (res.status >= 300) failed++;
    }
  }
  took.sort((a, b) => a - b);
  return {
    requests: took.length,
    failed,
    p50: quantile(took, 0.5),
    p99: quantile(took, 0.99),
    max: took[took.length - 1],
  };
}

export async function benchAvailability({ apiUrl, attackerToken, victimToken, seconds, log }) {
  const quiet = await victimTraffic(apiUrl, victimToken, seconds * 1000, 3_000_000);
  const sockets = [];
  const trickles = [];
  try {
    for (let i = 0; i < 10; i++) {
      const exp = raw(apiUrl, 'GET', '/api/v1/leads/export', {
        authorization: `Bearer ${attackerToken}`,
      });
      exp.pause(); // never reads a byte
      sockets.push(exp);
      const imp = raw(apiUrl, 'POST', '/api/v1/leads/import', {
        authorization: `Bearer ${attackerToken}`,
        'content-type': 'text/csv',
        'content-length': '100000',
      });
      sockets.push(imp);
      trickles.push(setInterval(() => imp.destroyed || imp.write('p'), 1_000));
      await sleep(300);
    }
    // measured once the exports have filled their sockets (their first
    // seconds are CPU, as any tenant's large export is); the attack holds on
    await sleep(5_000);
    const attacked = await victimTraffic(apiUrl, victimToken, seconds * 1000, 4_000_000);
    const open = sockets.filter((s) => !s.destroyed).length;
    const row = (name, r) =>
      `${name}: ${fmt.n(r.requests)} requests, ${r.failed} not 2xx, p50 ${fmt.n(r.p50, 1)} ms, p99 ${fmt.n(r.p99, 1)} ms, max ${fmt.n(r.max, 1)} ms`;
    log(`(i) victim, no attack   ${row('', quiet)}`);
    log(
      `(i) victim, under attack${row('', attacked)} (${open} of 20 attacking sockets still open)`,
    );
    return { quiet, attacked, openSockets: open };
  } finally {
    trickles.forEach(clearInterval);
    sockets.forEach((s) => s.destroy());
  }
}
