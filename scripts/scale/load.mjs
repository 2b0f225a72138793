// Load generator of the scale-out test (scripts/scale-test.sh). Plain Node 20
// ESM, the built-in fetch (undici, keep-alive). Two commands:
//
//   node scripts/scale/load.mjs setup --base URL --tenants N --out tenants.json
//     signs up N tenants through nginx, gives each 2 agents and a few calls;
//     every name carries the tenant's marker.
//
//   node scripts/scale/load.mjs run --base URL --health URL,URL,... --tenants tenants.json
//        --duration S --concurrency C --out results.json
//     C workers send a mixed load (lists, reads, lead creation, stats, probes
//     of other tenants' ids) for S seconds, checking every returned row
//     against the caller's tenant; a prober polls /health on every URL given.
//     Writes every request (start, end, kind, status, tenant, upstream) and
//     every check failure to results.json; scripts/scale/report.mjs judges them.
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const REQUEST_TIMEOUT_MS = 15_000; // longer than any legitimate answer: a "hang"

function args(argv) {
  const out = { _: argv[0] };
  for (let i = 1; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTP exchange; never throws. status 0 = timed out (hang), -1 = network error. */
async function call(base, method, path, { token, body } = {}) {
  const started = Date.now();
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return {
      started,
      ended: Date.now(),
      status: res.status,
      json,
      text,
      upstream: res.headers.get('x-upstream-addr') ?? '',
    };
  } catch (e) {
    const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return {
      started,
      ended: Date.now(),
      status: timeout ? 0 : -1,
      error: String(e?.cause?.code ?? e?.message ?? e),
      upstream: '',
    };
  }
}

// Phones: each tenant its own area code, a counter for the rest: unique per run.
const AREA = [212, 312, 415, 617, 646, 718, 917, 213, 305, 404];
function phone(tenantIdx, n) {
  const exchange = 200 + Math.floor(n / 10_000);
  return `+1${AREA[tenantIdx % AREA.length]}${exchange}${String(n % 10_000).padStart(4, '0')}`;
}

async function must(r, what) {
  if (r.status < 200 || r.status > 299)
    throw new Error(`${what}: HTTP ${r.status} ${r.error ?? r.text?.slice(0, 300) ?? ''}`);
  return r.json;
}

async function setup(a) {
  const base = a.base;
  const n = Number(a.tenants ?? 5);
  const runId = randomBytes(3).toString('hex');
  const tenants = [];
  for (let i = 0; i < n; i++) {
    const marker = `T${i}-${runId}`;
    const auth = await must(
      await call(base, 'POST', '/api/v1/auth/signup', {
        body: {
          tenantName: `Scale ${marker}`,
          fullName: `Owner ${marker}`,
          email: `scale-${marker.toLowerCase()}@example.com`,
          password: `Sc4le-${randomBytes(12).toString('hex')}`,
        },
      }),
      `signup of tenant ${i}`,
    );
    const t = {
      idx: i,
      marker,
      tenantId: auth.tenant.id,
      token: auth.token,
      agents: [],
      calls: [],
    };
    for (let k = 0; k < 2; k++) {
      const agent = await must(
        await call(base, 'POST', '/api/v1/agents', {
          token: t.token,
          body: { name: `${marker} agent ${k}` },
        }),
        `agent of tenant ${i}`,
      );
      t.agents.push(agent.id);
    }
    // A different number of calls per tenant, so the stats totals tell tenants apart.
    for (let k = 0; k < 3 + i; k++) {
      const c = await must(
        await call(base, 'POST', '/api/v1/calls', {
          token: t.token,
          body: {
            agentId: t.agents[k % 2],
            direction: 'outbound',
            fromNumber: phone(i, 9_000 + k),
            toNumber: phone(i, 9_500 + k),
          },
        }),
        `call of tenant ${i}`,
      );
      t.calls.push(c.id);
    }
    tenants.push(t);
  }
  writeFileSync(a.out, JSON.stringify({ runId, tenants }, null, 1));
  console.log(
    `   ${n} tenants signed up through nginx (${tenants.map((t) => t.marker).join(', ')}), 2 agents and 3+ calls each`,
  );
}

// Request kinds (index = code in results.json).
const KINDS = [
  'GET /leads',
  'GET /agents',
  'GET /calls',
  'POST /leads',
  'GET /leads/:id',
  'GET /calls/stats',
  'GET /leads/:id (other tenant)',
];
const WEIGHTS = [22, 10, 14, 26, 14, 8, 6];

async function run(a) {
  const base = a.base;
  const { tenants } = JSON.parse(readFileSync(a.tenants, 'utf8'));
  const durationMs = Number(a.duration ?? 45) * 1000;
  const concurrency = Number(a.concurrency ?? 32);
  const healthUrls = (a.health ?? '').split(',').filter(Boolean);

  const owner = new Map(); // lead id -> tenant idx, from acknowledged creations
  const acked = tenants.map(() => []); // acknowledged lead ids per tenant
  const ackedPhones = tenants.map(() => []);
  const unknown = tenants.map(() => []); // creations answered with an error: outcome unknown
  const agentSet = tenants.map((t) => new Set(t.agents));
  const callSet = tenants.map((t) => new Set(t.calls));
  const requests = []; // [start, end, kind, status, tenant, upstream, errorIndex]
  const problems = []; // {t, kind, tenant, what}
  const errors = []; // bodies / network errors of non-2xx answers (first 400)
  const health = []; // [t, urlIndex, status, ms]
  let counter = 0;

  const problem = (r, kind, t, what) =>
    problems.push({ t: r.started, kind: KINDS[kind], tenant: t.idx, what });

  const pickKind = () => {
    let x = Math.random() * WEIGHTS.reduce((s, w) => s + w, 0);
    for (let k = 0; k < WEIGHTS.length; k++) if ((x -= WEIGHTS[k]) < 0) return k;
    return 0;
  };

  async function one(t) {
    let kind = pickKind();
    const mine = acked[t.idx];
    const others = tenants.filter((o) => o.idx !== t.idx && acked[o.idx].length > 0);
    if ((kind === 4 && mine.length === 0) || (kind === 6 && others.length === 0)) kind = 3;
    let r;
    let newPhone;
    switch (kind) {
      case 0:
        r = await call(base, 'GET', '/api/v1/leads?limit=50', { token: t.token });
        if (r.status === 200)
          for (const row of r.json.data) {
            const o = owner.get(row.id);
            if (row.company !== t.marker || (o !== undefined && o !== t.idx))
              problem(r, kind, t, `lead ${row.id} of ${row.company} (owner ${o}) in the list`);
          }
        break;
      case 1:
        r = await call(base, 'GET', '/api/v1/agents', { token: t.token });
        if (r.status === 200)
          for (const row of r.json.data)
            if (!agentSet[t.idx].has(row.id) || !row.name.startsWith(`${t.marker} `))
              problem(r, kind, t, `agent ${row.id} "${row.name}" in the list`);
        break;
      case 2:
        r = await call(base, 'GET', '/api/v1/calls?limit=50', { token: t.token });
        if (r.status === 200) {
          for (const row of r.json.data)
            if (!callSet[t.idx].has(row.id) || !agentSet[t.idx].has(row.agentId))
              problem(r, kind, t, `call ${row.id} (agent ${row.agentId}) in the list`);
          if (r.json.data.length !== t.calls.length)
            problem(r, kind, t, `${r.json.data.length} calls listed, ${t.calls.length} exist`);
        }
        break;
      case 3: {
        const n = counter++;
        newPhone = phone(t.idx, n);
        r = await call(base, 'POST', '/api/v1/leads', {
          token: t.token,
          body: {
            firstName: t.marker,
            lastName: `n${n}`,
            phone: newPhone,
            company: t.marker,
            tags: ['scale'],
          },
        });
        if (r.status === 201) {
          if (r.json.company !== t.marker || r.json.phone !== newPhone)
            problem(r, kind, t, `created lead came back as ${r.json.company} ${r.json.phone}`);
          owner.set(r.json.id, t.idx);
          mine.push(r.json.id);
          ackedPhones[t.idx].push(newPhone);
        } else {
          unknown[t.idx].push(newPhone);
        }
        break;
      }
      case 4: {
        const id = mine[Math.floor(Math.random() * mine.length)];
        r = await call(base, 'GET', `/api/v1/leads/${id}`, { token: t.token });
        if (r.status === 200 && (r.json.id !== id || r.json.company !== t.marker))
          problem(r, kind, t, `GET ${id} returned ${r.json.id} of ${r.json.company}`);
        if (r.status === 404) problem(r, kind, t, `acknowledged lead ${id} not found`);
        break;
      }
      case 5:
        r = await call(base, 'GET', '/api/v1/calls/stats', { token: t.token });
        if (r.status === 200) {
          if (r.json.totals.calls !== t.calls.length)
            problem(
              r,
              kind,
              t,
              `stats count ${r.json.totals.calls} calls, the tenant has ${t.calls.length}`,
            );
          for (const row of r.json.byAgent)
            if (!agentSet[t.idx].has(row.agentId))
              problem(r, kind, t, `stats name agent ${row.agentId}`);
        }
        break;
      case 6: {
        const o = others[Math.floor(Math.random() * others.length)];
        const id = acked[o.idx][Math.floor(Math.random() * acked[o.idx].length)];
        r = await call(base, 'GET', `/api/v1/leads/${id}`, { token: t.token });
        if (r.status !== 404 && r.status >= 200 && r.status < 500)
          problem(r, kind, t, `another tenant's lead ${id} answered ${r.status}`);
        break;
      }
    }
    let errIdx = -1;
    if (r.status < 200 || r.status > 299) {
      if (!(kind === 6 && r.status === 404) && errors.length < 400) {
        errIdx = errors.length;
        errors.push(r.error ?? (r.text ?? '').slice(0, 200));
      }
    }
    requests.push([r.started, r.ended, kind, r.status, t.idx, r.upstream, errIdx]);
    // A client backs off a little after a 503 / 502 instead of spinning.
    if (r.status >= 500 || r.status <= 0) await sleep(50);
  }

  const until = Date.now() + durationMs;
  const workers = Array.from({ length: concurrency }, async (_, w) => {
    let i = w;
    while (Date.now() < until) await one(tenants[i++ % tenants.length]);
  });
  const prober = (async () => {
    while (Date.now() < until) {
      await Promise.all(
        healthUrls.map(async (u, i) => {
          const r = await call(u, 'GET', '/health');
          health.push([r.started, i, r.status, r.ended - r.started]);
        }),
      );
      await sleep(200);
    }
  })();
  await Promise.all([...workers, prober]);

  writeFileSync(
    a.out,
    JSON.stringify({
      kinds: KINDS,
      healthUrls,
      requests,
      problems,
      errors,
      health,
      acked,
      ackedPhones,
      unknown,
    }),
  );
  console.log(`   load done: ${requests.length} requests`);
}

const a = args(process.argv.slice(2));
const commands = { setup, run };
if (!commands[a._]) {
  console.error('usage: load.mjs setup|run --base URL ...');
  process.exit(2);
}
commands[a._](a).catch((e) => {
  console.error(`load.mjs ${a._}: ${e.stack ?? e}`);
  process.exit(1);
});
