#!/usr/bin/env node
// npm run bench [-- flags]: seeds a database, then measures side by side
//   (a) a bare node:http + pg server doing the leads page under the RLS transaction,
//   (b) the API's GET /api/v1/leads?limit=50 with real JWTs,
//   (c) page 1 vs page 1,000 of the API (a tenant with 60,000 leads),
//   (d) importing a 100,000-row CSV through the API vs COPY of the same rows,
//   (e) the API's leads page with a workspace API key vs with a JWT (same run),
//   (f) POST /api/v1/leads p50 with one subscribed webhook endpoint vs none,
//   (g) webhook deliveries per second to a local receiver over 10,000 events,
//   (h) campaigns of 100,000 leads over 1,000 tenants on the simulator: dispatch
//       decisions per second, start to first dispatch, and the rules kept (campaigns.mjs),
//   (i) a tenant's requests while another attacks with exports it never reads and uploads
//       at a byte a second, vs the same requests without the attack (availability.mjs),
//   (j) POST and PATCH /api/v1/leads with the audit log's event vs without it (audit.mjs),
// and the API's peak RSS. Prints figures and PASS/MISS against the targets of
// issues 4, 13, 16 and 17; a miss never fails the run (exit 1 only when something broke).
// See docs/performance.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import pg from 'pg';
import { auditInsertCost, benchAuditWrites } from './audit.mjs';
import { benchAvailability } from './availability.mjs';
import { benchCampaigns } from './campaigns.mjs';
import { COPY_COLUMNS, copyFrom, importFiles } from './import-data.mjs';
import { measure, warmUp } from './load.mjs';
import { seed } from './seed.mjs';
import { benchDeliveries, benchWebhookWrites, startReceiver } from './webhooks.mjs';
import {
  NODE_FLAGS,
  fmt,
  freePort,
  intArg,
  memoryOf,
  memorySampler,
  nodeFlagsOf,
  parseArgs,
  run,
  startChild,
  stopAll,
  stopChild,
  waitHttp,
} from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const MAIN = join(ROOT, 'dist/apps/api/main.js');

const USAGE = `usage: npm run bench -- [flags]
  --small               50 tenants, 50,000 leads, 50,000 calls (quick run)
  --tenants N           ordinary tenants (default 1000)
  --leads N             leads shared by them (default 1,000,000)
  --calls N             calls shared by them (default 1,000,000)
  --big-leads N         leads of the extra "big" tenant used for page 1,000 (default 60,000; >= 50,001)
  --duration S          seconds per measured run (default 10)
  --warmup S            seconds of warm-up before each run (default 3)
  --warmup-requests N   requests each server gets once before its first round of (a)/(b) (default 20,000)
  --rounds N            (a)/(b), (c), (e), (f) and (j) are measured N times, alternating; best round counts (default 2)
  --connections N       autocannon concurrency (default 50)
  --pool N              DB pool size of the API and of the bare server (default 10)
  --tokens N            tenants (one login each) the list requests are spread over (default 10)
  --import-rows N       rows of the import CSV (default 100,000)
  --events N            events delivered in (g) (default 10,000)
  --campaign-leads N    leads per tenant in (h) (default 100: 100,000 over 1,000 tenants)
  --campaign-timeout S  longest wait for (h)'s decisions (default 600)
  --only a,b,c,d,e,f,g,h,i,j  run only these measurements
  --profile             run the API and the bare server with --cpu-prof (tmp/bench/profile/), summarise both
  --node-options "..."  node flags of the API and the bare server (default "${NODE_FLAGS}")
  --api-env K=V,K=V     extra environment of the API (e.g. MALLOC_ARENA_MAX=2)
  --keep                keep the acc_bench database afterwards
  --admin-url URL       owner connection (default postgres://postgres@127.0.0.1:5432)
  --db NAME             database name (default acc_bench)`;

// issue 17: ratios to the bare server of the same run (an absolute p99 is
// what the machine allows, not what the code does: the bare server misses 50 ms)
const TARGETS = {
  ratioAB: 0.8,
  cpuRatio: 1.35,
  p99Ratio: 1.3,
  pageRatio: 1.2,
  // issue 16: 2x (issue 4 asked 5x)
  importRatio: 2,
  rssMb: 250,
  keyRatio: 0.95,
  webhookP50Ratio: 1.1,
  auditP50Ratio: 1.15,
};
const MEASUREMENTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

const log = (line = '') => process.stdout.write(`${line}\n`);

async function main() {
  const args = parseArgs(
    process.argv.slice(2),
    new Set(['node-options', 'api-env', 'admin-url', 'db', 'only']),
  );
  if (args.help || args.h) return log(USAGE);
  const small = Boolean(args.small);
  const cfg = {
    tenants: intArg(args, 'tenants', small ? 50 : 1000),
    leads: intArg(args, 'leads', small ? 50_000 : 1_000_000),
    calls: intArg(args, 'calls', small ? 50_000 : 1_000_000),
    bigLeads: intArg(args, 'big-leads', 60_000),
    bigCalls: 1_000,
    duration: intArg(args, 'duration', 10),
    warmup: intArg(args, 'warmup', 3),
    warmupRequests: intArg(args, 'warmup-requests', 20_000),
    rounds: Math.max(1, intArg(args, 'rounds', 2)),
    connections: intArg(args, 'connections', 50),
    pool: intArg(args, 'pool', 10),
    tokens: Math.max(1, intArg(args, 'tokens', 10)),
    importRows: intArg(args, 'import-rows', 100_000),
    events: intArg(args, 'events', 10_000),
    campaignLeads: Math.max(1, intArg(args, 'campaign-leads', 100)),
    campaignTimeout: Math.max(10, intArg(args, 'campaign-timeout', 600)),
    only: new Set(
      String(args.only ?? MEASUREMENTS.join(','))
        .split(',')
        .map((s) => s.trim()),
    ),
    profile: Boolean(args.profile),
    keep: Boolean(args.keep),
    nodeOptions: nodeFlagsOf(args),
    apiEnv: Object.fromEntries(
      String(args['api-env'] ?? 'MALLOC_MMAP_THRESHOLD_=131072')
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
    adminUrl: String(args['admin-url'] ?? 'postgres://postgres@127.0.0.1:5432'),
    db: String(args.db ?? 'acc_bench'),
  };
  if (cfg.tenants < 1) throw new Error('--tenants must be at least 1');
  if (cfg.bigLeads < 50_001)
    throw new Error('--big-leads must be at least 50,001 (page 1,000 of 50)');
  if (!/^[a-z_][a-z0-9_]*$/.test(cfg.db)) throw new Error('--db must be a plain lower-case name');
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run bench does)`);
  const label = small ? 'small' : `${cfg.tenants}t-${cfg.leads}l-${cfg.calls}c`;
  const tuned = cfg.nodeOptions.length > 0 || Object.keys(cfg.apiEnv).length > 0;
  const fileLabel = `${label}${tuned ? '-tuned' : ''}${cfg.only.size < MEASUREMENTS.length ? `-only-${[...cfg.only].join('')}` : ''}`;

  const ownerUrl = `${cfg.adminUrl}/${cfg.db}`;
  const appUrl = ownerUrl.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, '$1acc_app@');
  const results = {
    label,
    cfg: { ...cfg, only: [...cfg.only] },
    machine: machine(),
    at: new Date().toISOString(),
  };
  log(
    `benchmark "${label}" on ${results.machine.cpus} cores (${results.machine.cpuModel}), node ${process.version}`,
  );
  log(
    `  ${fmt.n(cfg.tenants)} tenants, ${fmt.n(cfg.leads)} leads, ${fmt.n(cfg.calls)} calls + a big tenant with ${fmt.n(cfg.bigLeads)} leads`,
  );
  log(
    `  concurrency ${cfg.connections}, ${fmt.n(cfg.warmupRequests)} requests of warm-up per server, then ${cfg.warmup} s warm-up + ${cfg.duration} s per run, ${cfg.rounds} round(s), pool ${cfg.pool}`,
  );
  if (cfg.nodeOptions.length || Object.keys(cfg.apiEnv).length) {
    log(
      `  node flags: ${cfg.nodeOptions.join(' ') || '-'}; API env: ${JSON.stringify(cfg.apiEnv)}`,
    );
  }
  log(
    `  load average before start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (other work on the machine skews every figure)`,
  );

  // 1. fresh database, migrated by the API's own migrator -------------------------------
  const admin = new pg.Client({ connectionString: `${cfg.adminUrl}/postgres` });
  admin.on('error', () => undefined); // a dropped connection surfaces on the next query
  await admin.connect();
  let dropAtEnd = false;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${cfg.db} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${cfg.db}`);
    dropAtEnd = !cfg.keep;
    if (dropAtEnd) onInterrupt = () => dropDatabase(cfg);
    const jwtSecret = randomBytes(48).toString('base64url');
    const apiEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: appUrl,
      DATABASE_MIGRATION_URL: ownerUrl,
      DATABASE_POOL_MAX: String(cfg.pool),
      MIGRATE_ON_BOOT: 'true',
      MIGRATIONS_DIR: join(ROOT, 'migrations'),
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      SERVE_CONSOLE: 'false',
      SEED_ON_EMPTY: 'false',
      API_HOST: '127.0.0.1',
      DATA_DIR: join(ROOT, 'tmp/bench/data'),
      // (f) and (g) deliver to a receiver of this process, on loopback
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // jobs (webhook deliveries) run in a worker process of their own, started for (g)
      WORKER_IN_API: 'false',
    };
    let t0 = performance.now();
    await run('migrate', process.execPath, [MAIN, 'migrate'], { cwd: ROOT, env: apiEnv });
    log(`migrated in ${fmt.s(performance.now() - t0)}`);

    // 2. seed ------------------------------------------------------------------------------
    const password = `bench-${randomBytes(6).toString('hex')}-pass`;
    const passwordHash = await argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    log('seeding (as the owner, set-based):');
    t0 = performance.now();
    results.seed = await seed(ownerUrl, { ...cfg, passwordHash, log });
    results.seed.totalMs = performance.now() - t0;
    const owner = new pg.Client({ connectionString: ownerUrl });
    owner.on('error', () => undefined); // e.g. terminated by the final DROP DATABASE ... WITH (FORCE)
    await owner.connect();
    try {
      const {
        rows: [counts],
      } = await owner.query(
        `SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM leads)::int AS leads,
                (SELECT count(*) FROM calls)::int AS calls, pg_size_pretty(pg_database_size(current_database())) AS size`,
      );
      results.seed.counts = counts;
      log(
        `seeded ${fmt.n(counts.tenants)} tenants, ${fmt.n(counts.leads)} leads, ${fmt.n(counts.calls)} calls (${counts.size}) in ${fmt.s(results.seed.totalMs)}`,
      );

      // 3. the API ---------------------------------------------------------------------------
      const apiPort = await freePort();
      const profDir = join(ROOT, 'tmp/bench/profile');
      if (cfg.profile) {
        rmSync(profDir, { recursive: true, force: true });
        mkdirSync(join(profDir, 'api'), { recursive: true });
        mkdirSync(join(profDir, 'bare'), { recursive: true });
      }
      const api = startChild(
        'api',
        process.execPath,
        [
          ...cfg.nodeOptions,
          ...(cfg.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'api')}`] : []),
          MAIN,
        ],
        { cwd: ROOT, env: { ...apiEnv, ...cfg.apiEnv, API_PORT: String(apiPort) } },
      );
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      await waitHttp(`${apiUrl}/health/live`, api);
      const mem = memorySampler(api.pid);
      results.api = { idleRssMb: memoryOf(api.pid)?.rssMb };
      log(`API up (pid ${api.pid}, RSS ${fmt.n(results.api.idleRssMb)} MB idle)`);

      const plan = (
        await owner.query(
          'SELECT n, tag, id, user_id AS "userId", email, leads FROM bench_plan ORDER BY n',
        )
      ).rows;
      const byTag = Object.fromEntries(plan.map((p) => [p.tag, p]));
      const ordinary = plan.filter((p) => p.n > 0);
      const spread = [
        ...new Set(
          Array.from(
            { length: Math.min(cfg.tokens, ordinary.length) },
            (_, i) =>
              ordinary[Math.floor((i * ordinary.length) / Math.min(cfg.tokens, ordinary.length))],
          ),
        ),
      ];
      const login = async (p) => {
        const r = await fetch(`${apiUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: p.email, password }),
        });
        if (!r.ok) throw new Error(`login as ${p.email}: ${r.status} ${await r.text()}`);
        const body = await r.json();
        if (body.tenant.id !== p.id)
          throw new Error(`login as ${p.email} chose tenant ${body.tenant.id}`);
        return body.token;
      };
      const tokens = [];
      for (const p of spread) tokens.push(await login(p));
      const bigToken = await login(byTag.big);
      const importToken = await login(byTag.import);
      log(`logged in as ${tokens.length + 2} tenant owners (POST /api/v1/auth/login, argon2id)`);
      const listRequests = (path) =>
        tokens.map((t) => ({ method: 'GET', path, headers: { authorization: `Bearer ${t}` } }));
      const load = (url, requests, serverPid, kinds) =>
        measure({
          url,
          requests,
          serverPid,
          db: cfg.db,
          connections: cfg.connections,
          duration: cfg.duration,
          warmup: cfg.warmup,
          kinds,
        });

      // (a) and (b) ----------------------------------------------------------------------------
      if (cfg.only.has('a') || cfg.only.has('b')) {
        const barePort = await freePort();
        const bareArgs = [...cfg.nodeOptions, join(HERE, 'bare-server.mjs')];
        if (cfg.profile)
          bareArgs.splice(-1, 0, '--cpu-prof', `--cpu-prof-dir=${join(profDir, 'bare')}`);
        const bare = startChild('bare', process.execPath, bareArgs, {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            DATABASE_URL: appUrl,
            JWT_SECRET: jwtSecret,
            PORT: String(barePort),
            POOL_MAX: String(cfg.pool),
          },
        });
        const bareUrl = `http://127.0.0.1:${barePort}`;
        await waitHttp(`${bareUrl}/health`, bare);
        // Same request, same answer: the comparison is only fair if both do the same work.
        const path = '/api/v1/leads?limit=50';
        const get = async (base, token) => {
          const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
          if (!r.ok) throw new Error(`${base}${path}: ${r.status} ${await r.text()}`);
          return r.text();
        };
        const [fromBare, fromApi] = await Promise.all([
          get(bareUrl, tokens[0]),
          get(apiUrl, tokens[0]),
        ]);
        const page = JSON.parse(fromApi);
        if (page.data.length !== 50 || !page.nextCursor)
          throw new Error('the API page has not 50 leads and a cursor');
        results.sameBody = fromBare === fromApi;
        log(
          `bare server and API answer ${results.sameBody ? 'byte-identical' : 'DIFFERENT'} pages (${fmt.n(fromApi.length)} bytes)`,
        );
        if (!results.sameBody)
          log(`  bare: ${fromBare.slice(0, 300)}\n  api:  ${fromApi.slice(0, 300)}`);

        // V8 compiles a server's hot path over its first thousands of requests,
        // the API's (more code) over more of them (still ~60 us per request of
        // compiling after 3,000): each server gets the same count before its
        // first round, so the rounds compare steady states (docs/performance.md,
        // issue 17, "Fifth pass" and "Seventh pass")
        results.warmUpUsPerReq = {};
        for (const [which, url, pid] of [
          ['a', bareUrl, bare.pid],
          ['b', apiUrl, api.pid],
        ]) {
          if (!cfg.only.has(which) || cfg.warmupRequests < 1) continue;
          results.warmUpUsPerReq[which] = await warmUp({
            url,
            requests: listRequests(path),
            connections: cfg.connections,
            amount: cfg.warmupRequests,
            serverPid: pid,
          });
        }
        if (Object.keys(results.warmUpUsPerReq).length)
          log(
            `warm-up, ${fmt.n(cfg.warmupRequests)} requests each: server CPU ${Object.entries(
              results.warmUpUsPerReq,
            )
              .map(([w, us]) => `(${w}) ${fmt.n(us)}`)
              .join(', ')} us/req (discarded)`,
          );
        results.a = [];
        results.b = [];
        mem.reset();
        for (let round = 1; round <= cfg.rounds; round++) {
          if (cfg.only.has('a')) {
            const r = await load(bareUrl, listRequests(path), bare.pid);
            results.a.push(r);
            log(line(`(a) bare http+pg, round ${round}`, r));
          }
          if (cfg.only.has('b')) {
            const r = await load(apiUrl, listRequests(path), api.pid);
            results.b.push(r);
            log(line(`(b) API GET /leads, round ${round}`, r));
          }
        }
        results.api.peakRssListMb = mem.peak();
        await stopChild(bare);
      }

      // (c) page 1 vs page 1,000 --------------------------------------------------------------
      if (cfg.only.has('c')) {
        const big = byTag.big;
        const keyset = async (offset) =>
          (
            await owner.query(
              `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, id
               FROM leads WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
              [big.id, offset],
            )
          ).rows[0];
        // The cursor after row 49,950 (offset 49,949): page 1,000 starts at offset 49,950.
        const k = await keyset(999 * 50 - 1);
        const cursor = Buffer.from(`${k.ts}|${k.id}`, 'utf8').toString('base64url');
        const p1 = '/api/v1/leads?limit=50';
        const p1000 = `/api/v1/leads?limit=50&cursor=${cursor}`;
        const first = await (
          await fetch(apiUrl + p1000, { headers: { authorization: `Bearer ${bigToken}` } })
        ).json();
        const expected = await keyset(999 * 50);
        if (first.data?.length !== 50 || first.data[0].id !== expected.id) {
          throw new Error(
            `page 1,000 does not start at row 49,951: ${JSON.stringify(first).slice(0, 300)}`,
          );
        }
        log(
          `page 1,000 of the big tenant (${fmt.n(big.leads)} leads) starts at row 49,951 as expected`,
        );
        results.sql = await sqlPageCost(appUrl, big, k);
        log(
          `  SQL alone (as acc_app, in the tenant transaction, alternating, median of ${results.sql.runs} each): page 1 ${fmt.n(results.sql.page1Us)} us, page 1,000 ${fmt.n(results.sql.page1000Us)} us`,
        );
        log(`  page 1:     ${results.sql.plan1}`);
        log(`  page 1,000: ${results.sql.plan1000}`);
        const bigReq = (path) => [
          { method: 'GET', path, headers: { authorization: `Bearer ${bigToken}` } },
        ];
        results.c1 = [];
        results.c1000 = [];
        mem.reset();
        for (let round = 1; round <= cfg.rounds; round++) {
          const r1 = await load(apiUrl, bigReq(p1), api.pid);
          results.c1.push(r1);
          log(line(`(c) API page 1, round ${round}`, r1));
          const r2 = await load(apiUrl, bigReq(p1000), api.pid);
          results.c1000.push(r2);
          log(line(`(c) API page 1,000, round ${round}`, r2));
        }
        results.api.peakRssPagesMb = mem.peak();
      }

      // (e) the leads page with an API key vs with a JWT ----------------------------------------
      if (cfg.only.has('e')) {
        // one viewer key per tenant of the tokens, so both runs spread over the same tenants
        const keys = [];
        for (const token of tokens) {
          const r = await fetch(`${apiUrl}/api/v1/api-keys`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'bench', role: 'viewer' }),
          });
          if (r.status !== 201)
            throw new Error(`creating an API key: ${r.status} ${await r.text()}`);
          keys.push((await r.json()).key);
        }
        const path = '/api/v1/leads?limit=50';
        const [withJwt, withKey] = await Promise.all(
          [tokens[0], keys[0]].map(async (credential) => {
            const r = await fetch(apiUrl + path, {
              headers: { authorization: `Bearer ${credential}` },
            });
            if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
            return r.text();
          }),
        );
        if (withJwt !== withKey)
          throw new Error('a tenant answers different pages to its token and its API key');
        log(
          `created ${keys.length} API keys (POST /api/v1/api-keys, viewer); a key and a token of one tenant answer the same page`,
        );
        const byKey = keys.map((k) => ({
          method: 'GET',
          path,
          headers: { authorization: `Bearer ${k}` },
        }));
        results.eJwt = [];
        results.eKey = [];
        results.eMixed = [];
        // every connection alternates a token and a key request: both meet the same load
        const mixed = listRequests(path).flatMap((jwtReq, i) => [jwtReq, byKey[i]]);
        const mixedKinds = mixed.map((_, i) => (i % 2 ? 'key' : 'jwt'));
        for (let round = 1; round <= cfg.rounds; round++) {
          // each goes first every other round: drift on a busy machine hits both alike
          const order = round % 2 ? ['jwt', 'key'] : ['key', 'jwt'];
          for (const which of order) {
            const r = await load(apiUrl, which === 'jwt' ? listRequests(path) : byKey, api.pid);
            (which === 'jwt' ? results.eJwt : results.eKey).push(r);
            log(line(`(e) GET /leads, ${which === 'jwt' ? 'JWT' : 'API key'}, round ${round}`, r));
          }
          const m = await load(apiUrl, mixed, api.pid, mixedKinds);
          results.eMixed.push(m);
          log(line(`(e) interleaved, round ${round}`, m));
          log(`    ${mixedLine(m)}`);
        }
      }

      /** A `main.js worker` process (the jobs), once it says it is ready. */
      const startWorker = async (env = {}) => {
        const w = startChild('worker', process.execPath, [...cfg.nodeOptions, MAIN, 'worker'], {
          cwd: ROOT,
          env: { ...apiEnv, ...cfg.apiEnv, LOG_LEVEL: 'info', ...env },
        });
        for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 100))) {
          if (w.output.some((l) => l.includes('worker started'))) return w;
          if (w.exitCode !== null || Date.now() > until)
            throw new Error(`the worker did not start: ${w.output.slice(-5).join('\n')}`);
        }
      };

      // (f) a write with a webhook endpoint vs none, (g) delivery rate ---------------------------
      if (cfg.only.has('f') || cfg.only.has('g')) {
        const rx = await startReceiver();
        const [tenantF, tenantG] = [spread[0], spread[1] ?? spread[0]];
        const [tokenF, tokenG] = [tokens[0], tokens[1] ?? tokens[0]];
        let worker;
        try {
          if (cfg.only.has('f')) {
            // fewer connections than the reads: a write's latency, not the machine's saturation
            const connections = Math.min(cfg.connections, 10);
            log(`(f) POST /api/v1/leads, ${connections} connections, a new phone per request`);
            const f = await benchWebhookWrites({
              apiUrl,
              token: tokenF,
              tenantId: tenantF.id,
              owner,
              rounds: cfg.rounds,
              log,
              line,
              load: (requests) =>
                measure({
                  url: apiUrl,
                  requests,
                  serverPid: api.pid,
                  db: cfg.db,
                  connections,
                  duration: cfg.duration,
                  warmup: cfg.warmup,
                }),
            });
            results.fNone = f.none;
            results.fOne = f.one;
          }
          if (cfg.only.has('g')) {
            // the clock of (g) starts when the worker is ready, not while it boots
            worker = await startWorker();
            results.g = await benchDeliveries({
              apiUrl,
              token: tokenG,
              tenantId: tenantG.id,
              owner,
              rx,
              events: cfg.events,
              log,
            });
          }
        } finally {
          if (worker) await stopChild(worker);
          await rx.close();
        }
      }

      // (j) a write with its audit event vs without ------------------------------------------------
      if (cfg.only.has('j')) {
        const tenantJ = spread[2] ?? spread[0];
        const connections = Math.min(cfg.connections, 10);
        log(
          `(j) POST and PATCH /api/v1/leads, ${connections} connections, with and without auditing`,
        );
        results.j = await benchAuditWrites({
          apiUrl,
          token: tokens[spread.indexOf(tenantJ)],
          tenantId: tenantJ.id,
          owner,
          rounds: cfg.rounds,
          log,
          line,
          load: (requests) =>
            measure({
              url: apiUrl,
              requests,
              serverPid: api.pid,
              db: cfg.db,
              connections,
              duration: cfg.duration,
              warmup: cfg.warmup,
            }),
        });
        const appClient = new pg.Client({ connectionString: appUrl });
        await appClient.connect();
        try {
          results.jSql = await auditInsertCost({
            appClient,
            tenantId: tenantJ.id,
            userId: tenantJ.userId,
          });
        } finally {
          await appClient.end();
        }
      }

      // (i) one tenant attacks, another works --------------------------------------------------------
      if (cfg.only.has('i')) {
        results.i = await benchAvailability({
          apiUrl,
          attackerToken: bigToken,
          victimToken: tokens[0],
          seconds: Math.max(5, cfg.duration),
          log,
        });
      }

      // (h) campaigns on the simulator ---------------------------------------------------------------
      if (cfg.only.has('h')) {
        results.h = await benchCampaigns({
          apiUrl,
          owner,
          tenants: ordinary,
          perTenant: cfg.campaignLeads,
          jwtSecret,
          // a simulated call's steps a minute apart: the engine's decisions are what is measured
          startWorker: async () => {
            const w = await startWorker({ SIMULATOR_STEP_MS: '60000' });
            return { stop: () => stopChild(w) };
          },
          timeoutS: cfg.campaignTimeout,
          log,
        });
      }

      // (d) import vs COPY -------------------------------------------------------------------------
      if (cfg.only.has('d')) {
        const files = importFiles(cfg.importRows, byTag.copy.id);
        log(
          `import file: ${fmt.n(cfg.importRows)} rows, ${fmt.n(files.upload.length / 1048576, 1)} MB`,
        );
        mem.reset();
        /** POST /leads/import of the upload file, timed. */
        const importUpload = async () => {
          const start = performance.now();
          const res = await fetch(`${apiUrl}/api/v1/leads/import`, {
            method: 'POST',
            headers: { authorization: `Bearer ${importToken}`, 'content-type': 'text/csv' },
            body: files.upload,
          });
          return { res, body: await res.json(), ms: performance.now() - start };
        };
        await owner.query('CHECKPOINT');
        const { res: r, body, ms: importMs } = await importUpload();
        if (!r.ok || body.inserted !== cfg.importRows || body.rejected.length !== 0) {
          throw new Error(`import answered ${r.status}: ${JSON.stringify(body).slice(0, 500)}`);
        }
        results.api.peakRssImportMb = mem.peak();
        log(
          `(d) import via API: ${fmt.s(importMs)} (${fmt.n(body.inserted)} inserted, ${body.updated} updated, 0 rejected), peak RSS ${fmt.n(results.api.peakRssImportMb)} MB`,
        );

        await owner.query('CHECKPOINT');
        t0 = performance.now();
        const copied = await copyFrom(
          owner,
          `COPY leads (${COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
          files.copy,
        );
        const copyMs = performance.now() - t0;
        if (copied !== cfg.importRows) throw new Error(`COPY wrote ${copied} rows`);
        log(`(d) COPY into leads (owner): ${fmt.s(copyMs)} (${fmt.n(copied)} rows)`);

        // For scale: the same COPY into an index-free, constraint-free table of the same shape.
        await owner.query('CREATE TEMP TABLE bench_staging (LIKE leads INCLUDING DEFAULTS)');
        t0 = performance.now();
        await copyFrom(
          owner,
          `COPY bench_staging (${COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
          files.copy,
        );
        const stagingMs = performance.now() - t0;
        await owner.query('DROP TABLE bench_staging');
        log(`    COPY into a temp table without indexes: ${fmt.s(stagingMs)}`);
        // Not a target: the same file again, so that every row takes the update path.
        const { res: again, body: againBody, ms: reimportMs } = await importUpload();
        if (!again.ok || againBody.updated !== cfg.importRows || againBody.inserted !== 0) {
          throw new Error(
            `re-import answered ${again.status}: ${JSON.stringify(againBody).slice(0, 500)}`,
          );
        }
        log(`    re-import of the same file via API (every row an update): ${fmt.s(reimportMs)}`);
        const same = await owner.query(
          `SELECT count(*)::int AS n FROM (
             SELECT first_name, last_name, phone, email, company, status, source, tags, timezone FROM leads WHERE tenant_id = $1
             INTERSECT ALL
             SELECT first_name, last_name, phone, email, company, status, source, tags, timezone FROM leads WHERE tenant_id = $2) x`,
          [byTag.import.id, byTag.copy.id],
        );
        log(
          `    imported and copied rows agree: ${fmt.n(same.rows[0].n)} of ${fmt.n(cfg.importRows)}`,
        );
        results.d = {
          importMs,
          copyMs,
          stagingMs,
          reimportMs,
          rows: cfg.importRows,
          agree: same.rows[0].n,
        };
      }

      results.api.vmHwmMb = memoryOf(api.pid)?.hwmMb;
      mem.stop();
      await stopChild(api);
      if (cfg.profile) {
        results.profile = {
          bare: await summariseProfile(join(profDir, 'bare'), 'the bare server'),
          api: await summariseProfile(join(profDir, 'api'), 'the API'),
        };
      }
    } finally {
      await owner.end();
    }
  } finally {
    await stopAll();
    if (dropAtEnd)
      await admin
        .query(`DROP DATABASE IF EXISTS ${cfg.db} WITH (FORCE)`)
        .catch((e) => log(`could not drop ${cfg.db}: ${e.message}`));
    await admin.end();
  }
  report(results);
  const out = join(ROOT, 'tmp/bench', `results-${fileLabel}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2));
  log(`\nfigures saved to ${out}${cfg.keep ? `; database ${cfg.db} kept` : ''}`);
}

function machine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavgAtStart: loadavg(),
  };
}

const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

function line(name, r) {
  const bad = r.non2xx + r.errors;
  return (
    `${name.padEnd(34)} ${fmt.n(r.rps).padStart(7)} req/s  p50 ${ms(r.p50).padStart(6)} ms  p99 ${ms(r.p99).padStart(6)} ms` +
    `  server CPU ${fmt.n(r.serverCpuUsPerReq).padStart(5)} us/req (${Math.round(r.serverCpuShare * 100)}% of a core)` +
    `  postgres ${fmt.n(r.postgresCpuUsPerReq).padStart(4)} us/req  machine ${Math.round(r.machineBusy * 100)}% busy, load ${r.load1.toFixed(1)}` +
    (bad ? `  ${r.non2xx} non-2xx, ${r.errors} errors ${JSON.stringify(r.statusCodes)}` : '')
  );
}

/** An interleaved run's latencies by credential. */
function mixedLine(m) {
  const { jwt, key } = m.byKind;
  return (
    `JWT p50 ${ms(jwt.p50)} / mean ${ms(jwt.mean)} ms, API key p50 ${ms(key.p50)} / mean ${ms(key.mean)} ms` +
    ` (${fmt.n(jwt.ok)} and ${fmt.n(key.ok)} answers)`
  );
}

/** The best round (highest req/s): noise from other work on the machine only ever slows a round down. */
const best = (runs) => (runs?.length ? runs.reduce((a, b) => (b.rps > a.rps ? b : a)) : undefined);

/** The SQL of page 1 and page 1,000 alone, as the API role inside the tenant transaction, and their plans. */
async function sqlPageCost(appUrl, big, k) {
  const c = new pg.Client({ connectionString: appUrl });
  c.on('error', () => undefined);
  await c.connect();
  const cols = `l.id, l.first_name, l.last_name, l.phone, l.email, l.company, l.status, l.source, l.assigned_agent_id,
    l.tags, l.timezone, l.next_call_at, l.last_contacted_at, l.custom_fields, l.created_at, l.updated_at,
    to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const q1 = `SELECT ${cols} FROM leads l WHERE l.tenant_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT $2`;
  const q2 = `SELECT ${cols} FROM leads l WHERE l.tenant_id = $1 AND (l.created_at, l.id) < ($2::timestamptz, $3::uuid)
               ORDER BY l.created_at DESC, l.id DESC LIMIT $4`;
  const runs = 300;
  try {
    await c.query('BEGIN');
    await c.query('SELECT * FROM app_begin($1, $2, NULL, 30000)', [big.id, big.userId]);
    // The two queries alternate (each going first half the time) and each
    // reports its median, so drift and spikes on a busy machine hit both alike.
    const timeBoth = async (a, b) => {
      const once = async ([sql, params], out) => {
        const t0 = performance.now();
        await c.query(sql, params);
        out.push((performance.now() - t0) * 1000);
      };
      const ta = [];
      const tb = [];
      for (let i = 0; i < 30; i++) {
        await c.query(...a);
        await c.query(...b);
      }
      for (let i = 0; i < runs; i++) {
        if (i % 2) {
          await once(a, ta);
          await once(b, tb);
        } else {
          await once(b, tb);
          await once(a, ta);
        }
      }
      const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
      return [median(ta), median(tb)];
    };
    const plan = async (sql, params) => {
      const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      const text = rows.map((r) => r['QUERY PLAN']);
      const scan =
        text
          .find((t) => /Scan/.test(t))
          ?.trim()
          .replace(/^->\s*/, '') ?? text[0];
      const buffers = text.find((t) => /Buffers/.test(t))?.trim() ?? '';
      const exec = text.find((t) => /Execution Time/.test(t))?.trim() ?? '';
      return `${scan}; ${buffers}; ${exec}`;
    };
    const p1 = [big.id, 51];
    const p2 = [big.id, k.ts, k.id, 51];
    const [page1Us, page1000Us] = await timeBoth([q1, p1], [q2, p2]);
    const result = {
      runs,
      page1Us,
      page1000Us,
      plan1: await plan(q1, p1),
      plan1000: await plan(q2, p2),
    };
    await c.query('COMMIT');
    return result;
  } finally {
    await c.end();
  }
}

async function summariseProfile(dir, what) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  const newest = files
    .map((f) => join(dir, f))
    .sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs)[0];
  const { summarise } = await import('./profile-summary.mjs');
  log(`\nCPU profile of ${what}: ${newest}`);
  const s = summarise(newest);
  log(s.text);
  return { file: newest, ...s.data };
}

function report(r) {
  const a = best(r.a);
  const b = best(r.b);
  const c1 = best(r.c1);
  const c1000 = best(r.c1000);
  const eJwt = best(r.eJwt);
  const eKey = best(r.eKey);
  log('\n================ results ================');
  log(
    `machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memGb} GB, node ${r.machine.node}`,
  );
  log(
    `data: ${fmt.n(r.seed.counts.tenants)} tenants, ${fmt.n(r.seed.counts.leads)} leads, ${fmt.n(r.seed.counts.calls)} calls, ${r.seed.counts.size}; seeded in ${fmt.s(r.seed.totalMs)}`,
  );
  log(
    `best of ${r.cfg.rounds} round(s), ${r.cfg.duration} s each, concurrency ${r.cfg.connections}, pool ${r.cfg.pool}:`,
  );
  if (a) log(line('(a) bare http+pg', a));
  if (b) log(line('(b) API GET /api/v1/leads?limit=50', b));
  if (c1) log(line('(c) API page 1 (big tenant)', c1));
  if (c1000) log(line('(c) API page 1,000 (big tenant)', c1000));
  if (eJwt) log(line('(e) API GET /leads with a JWT', eJwt));
  if (eKey) log(line('(e) API GET /leads with an API key', eKey));
  const eMixed = best(r.eMixed);
  if (eMixed) log(`(e) interleaved, best round: ${mixedLine(eMixed)}`);
  // (f) compares latency: the round with the lowest p50 of each counts
  const lowestP50 = (runs) =>
    runs?.length ? runs.reduce((a, b) => (b.p50 < a.p50 ? b : a)) : undefined;
  const fNone = lowestP50(r.fNone);
  const fOne = lowestP50(r.fOne);
  if (fNone) log(line('(f) API POST /leads, no webhook endpoint', fNone));
  if (fOne) log(line('(f) API POST /leads, one endpoint subscribed', fOne));
  const jBest = {};
  for (const kind of ['post', 'patch'])
    for (const which of ['with', 'without']) {
      const run = lowestP50(r.j?.[kind][which]);
      if (!run) continue;
      jBest[`${kind}-${which}`] = run;
      log(line(`(j) API ${kind.toUpperCase()} /leads, ${which} audit`, run));
    }
  if (r.jSql)
    log(
      `(j) the audit INSERT alone (API role, tenant transaction): ${fmt.n(r.jSql.insertUs)} us median ` +
        `(SELECT 1: ${fmt.n(r.jSql.noopUs)} us)`,
    );
  if (r.g)
    log(
      `(g) ${fmt.n(r.g.events)} webhook deliveries to a local receiver: ${fmt.n(r.g.perSecond)}/s ` +
        `(all marked succeeded ${fmt.s(r.g.allMs)} after the commit that enqueued them)`,
    );
  if (r.h)
    log(
      `(h) campaigns of ${fmt.n(r.h.leads)} leads over ${fmt.n(r.h.tenants)} tenants: ${fmt.n(r.h.decisionsPerS, 0)} dispatch decisions/s, ` +
        `first dispatch p50 ${fmt.n(r.h.firstDispatchP50Ms, 0)} ms (max ${fmt.n(r.h.firstDispatchMaxMs, 0)} ms); ` +
        `${r.h.proof.doubled} double dispatches, ${r.h.proof.closed_window} calls in a closed window, ${r.h.proof.dnc_list + r.h.proof.dnc_lead} to suppressed numbers`,
    );

  if (r.d) {
    log(
      `(d) import ${fmt.n(r.d.rows)} rows via API: ${fmt.s(r.d.importMs)}   COPY: ${fmt.s(r.d.copyMs)}   (COPY into an index-free temp table: ${fmt.s(r.d.stagingMs)}; re-import, all updates: ${fmt.s(r.d.reimportMs)})`,
    );
  }
  log(
    `API RSS: idle ${fmt.n(r.api.idleRssMb)} MB` +
      (r.api.peakRssListMb ? `, peak during (a)/(b) ${fmt.n(r.api.peakRssListMb)} MB` : '') +
      (r.api.peakRssPagesMb ? `, during (c) ${fmt.n(r.api.peakRssPagesMb)} MB` : '') +
      (r.api.peakRssImportMb ? `, during (d) ${fmt.n(r.api.peakRssImportMb)} MB` : '') +
      `; VmHWM ${fmt.n(r.api.vmHwmMb)} MB`,
  );

  log('\ntargets:');
  const verdict = (ok, text) => log(`${ok === undefined ? 'n/a ' : ok ? 'PASS' : 'MISS'} ${text}`);
  if (a && b) {
    const ratio = b.rps / a.rps;
    r.ratioAB = ratio;
    verdict(
      ratio >= TARGETS.ratioAB,
      `(b)/(a) req/s = ${ratio.toFixed(2)} (${fmt.n(b.rps)} vs ${fmt.n(a.rps)}, best rounds; target >= ${TARGETS.ratioAB})`,
    );
    // CPU per request moves less with other work than req/s: each round's
    // (b) against the (a) measured just before it, averaged over the rounds
    const rounds = r.a.map((ra, i) => r.b[i].serverCpuUsPerReq / ra.serverCpuUsPerReq);
    r.cpuRatio = rounds.reduce((x, y) => x + y, 0) / rounds.length;
    verdict(
      r.cpuRatio <= TARGETS.cpuRatio,
      `(b)/(a) server CPU per request = ${r.cpuRatio.toFixed(2)} (rounds ${rounds.map((x) => x.toFixed(2)).join(', ')}; ` +
        `${fmt.n(b.serverCpuUsPerReq)} vs ${fmt.n(a.serverCpuUsPerReq)} us/req in the best rounds; target <= ${TARGETS.cpuRatio})`,
    );
    r.p99Ratio = b.p99 / a.p99;
    verdict(
      r.p99Ratio <= TARGETS.p99Ratio,
      `(b)/(a) p99 = ${r.p99Ratio.toFixed(2)} (${ms(b.p99)} vs ${ms(a.p99)} ms, best rounds; target <= ${TARGETS.p99Ratio})`,
    );
  }
  if (c1 && c1000) {
    // cost per request: the inverse of throughput at the same concurrency
    const ratio = c1.rps / c1000.rps;
    r.pageRatio = ratio;
    const sqlRatio = r.sql ? r.sql.page1000Us / r.sql.page1Us : undefined;
    verdict(
      ratio <= TARGETS.pageRatio && (sqlRatio === undefined || sqlRatio <= TARGETS.pageRatio),
      `page 1,000 / page 1 cost = ${ratio.toFixed(2)} by req/s, ${(c1000.p50 / c1.p50).toFixed(2)} by p50` +
        (sqlRatio === undefined ? '' : `, ${sqlRatio.toFixed(2)} by SQL time`) +
        ` (target <= ${TARGETS.pageRatio} by req/s and by SQL time)`,
    );
  }
  if (r.d) {
    const ratio = r.d.importMs / r.d.copyMs;
    r.importRatio = ratio;
    verdict(
      ratio <= TARGETS.importRatio,
      `import / COPY = ${ratio.toFixed(2)} (${fmt.s(r.d.importMs)} vs ${fmt.s(r.d.copyMs)}; target <= ${TARGETS.importRatio})`,
    );
  }
  if (eJwt && eKey) {
    const ratio = eKey.rps / eJwt.rps;
    r.keyRatio = ratio;
    verdict(
      ratio >= TARGETS.keyRatio,
      `(e) API key / JWT req/s = ${ratio.toFixed(2)} (${fmt.n(eKey.rps)} vs ${fmt.n(eJwt.rps)}; ` +
        `server CPU ${fmt.n(eKey.serverCpuUsPerReq)} vs ${fmt.n(eJwt.serverCpuUsPerReq)} us/req; target >= ${TARGETS.keyRatio})`,
    );
    // the same comparison under one load: JWT over key mean latency, rounds pooled
    const mean = (kind) => {
      const all = r.eMixed.map((m) => m.byKind[kind]);
      return all.reduce((a, k) => a + k.mean * k.ok, 0) / all.reduce((a, k) => a + k.ok, 0);
    };
    if (r.eMixed?.length) {
      r.keyMixedRatio = mean('jwt') / mean('key');
      log(
        `     interleaved (every connection alternating both): JWT / API key mean latency = ${r.keyMixedRatio.toFixed(2)} (${ms(mean('jwt'))} vs ${ms(mean('key'))} ms, all rounds)`,
      );
    }
  }
  if (fNone && fOne) {
    const ratio = fOne.p50 / fNone.p50;
    r.webhookP50Ratio = ratio;
    verdict(
      ratio <= TARGETS.webhookP50Ratio,
      `(f) POST /leads p50 with one endpoint / none = ${ratio.toFixed(2)} (${ms(fOne.p50)} vs ${ms(fNone.p50)} ms; ` +
        `target <= ${TARGETS.webhookP50Ratio})`,
    );
  }
  for (const kind of ['post', 'patch']) {
    const [on, off] = [jBest[`${kind}-with`], jBest[`${kind}-without`]];
    if (!on || !off) continue;
    const ratio = on.p50 / off.p50;
    r[`audit${kind}P50Ratio`] = ratio;
    verdict(
      ratio <= TARGETS.auditP50Ratio,
      `(j) ${kind.toUpperCase()} /leads p50 with audit / without = ${ratio.toFixed(2)} (${ms(on.p50)} vs ${ms(off.p50)} ms; ` +
        `req/s ${fmt.n(on.rps)} vs ${fmt.n(off.rps)}, ${(on.rps / off.rps).toFixed(2)}; target <= ${TARGETS.auditP50Ratio})`,
    );
  }
  if (r.i) {
    const { quiet, attacked } = r.i;
    verdict(
      attacked.failed === 0 && attacked.p99 < 1000,
      `(i) another tenant under attack: p99 ${fmt.n(attacked.p99, 1)} ms (without the attack ${fmt.n(quiet.p99, 1)} ms), ` +
        `${attacked.failed} of ${fmt.n(attacked.requests)} not 2xx (target: all 2xx, p99 < 1 s)`,
    );
  }
  verdict(
    r.api.vmHwmMb <= TARGETS.rssMb,
    `API peak RSS (VmHWM) = ${fmt.n(r.api.vmHwmMb)} MB (target <= ${TARGETS.rssMb} MB)`,
  );
  if (r.sameBody === false)
    log(
      'WARNING: the bare server and the API did not answer the same page: (a) is not a fair baseline',
    );
}

/** Drops the benchmark database on a fresh connection (the run's own may be busy). */
async function dropDatabase(cfg) {
  const c = new pg.Client({ connectionString: `${cfg.adminUrl}/postgres` });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${cfg.db} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

let onInterrupt = null;
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`\n${sig}: stopping`);
    void stopAll()
      .then(() => onInterrupt?.())
      .catch((e) => log(`cleanup: ${e.message}`))
      .finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (e) => {
    process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
    await stopAll();
    process.exit(1);
  },
);
