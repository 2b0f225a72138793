#!/usr/bin/env node
// Two builds of the API and the bare server, measured alternately in one run
// on a database kept by `npm run bench -- --keep` (issue 17): on a machine
// shared with other work, a before/after is only fair when both meet the
// same load, so every round measures (a) bare, (b0) the other build and
// (b) this checkout's build back to back, and the report gives the median
// server CPU per request of each and their ratios to (a) of the same round.
//
//   npm run bench -- --small --only a --keep
//   node scripts/bench/compare.mjs --base /path/to/other/dist/apps/api/main.js [--rounds 6] [--profile]
//     [--fresh [--warmup-requests 20000]] [--node-options "..."]
//
// Tokens are signed here with the secret both APIs get (the same claims as a
// login's), so no argon2 runs. --profile: --cpu-prof for all three, charged
// to layers (scripts/bench/layers.mjs) with the median CPU per request.
// --fresh: new processes of all three every round, each warmed up with
// --warmup-requests (default 20,000) first. A process with V8's pretenuring
// on (an API build before a1a002d, or a bare server without the flag) keeps
// the garbage collector's regime it falls into for its whole life
// (docs/performance.md, issue 17, "Seventh pass"): one process per server
// measures that regime, not the code; fresh ones average over it.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layersOf } from './layers.mjs';
import { measure, warmUp } from './load.mjs';
import { signedOwnerTokens } from './tokens.mjs';
import {
  fmt,
  freePort,
  intArg,
  nodeFlagsOf,
  parseArgs,
  startChild,
  stopAll,
  stopChild,
  waitHttp,
} from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const log = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const args = parseArgs(
    process.argv.slice(2),
    new Set(['base', 'db', 'admin-url', 'node-options']),
  );
  const cfg = {
    base: resolve(String(args.base ?? '')),
    db: String(args.db ?? 'acc_bench'),
    adminUrl: String(args['admin-url'] ?? 'postgres://postgres@127.0.0.1:5432'),
    rounds: intArg(args, 'rounds', 6),
    duration: intArg(args, 'duration', 5),
    warmup: intArg(args, 'warmup', 2),
    connections: intArg(args, 'connections', 50),
    pool: intArg(args, 'pool', 10),
    profile: Boolean(args.profile),
    fresh: Boolean(args.fresh),
    warmupRequests: intArg(args, 'warmup-requests', 20_000),
    // the same node flags for all three servers
    nodeOptions: nodeFlagsOf(args),
  };
  if (cfg.fresh && cfg.profile)
    throw new Error('--fresh and --profile: one profile per server only');
  if (!args.base)
    throw new Error('--base path/to/dist/apps/api/main.js (the build to compare with)');
  const ownerUrl = `${cfg.adminUrl}/${cfg.db}`;
  const appUrl = ownerUrl.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, '$1acc_app@');
  const { secret, tokens } = await signedOwnerTokens(ownerUrl);

  const profDir = join(ROOT, 'tmp/bench/compare-profile');
  rmSync(profDir, { recursive: true, force: true });
  const prof = (name) => {
    if (!cfg.profile) return [];
    mkdirSync(join(profDir, name), { recursive: true });
    return ['--cpu-prof', `--cpu-prof-dir=${join(profDir, name)}`];
  };
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: appUrl,
    DATABASE_POOL_MAX: String(cfg.pool),
    MIGRATE_ON_BOOT: 'false',
    JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    SERVE_CONSOLE: 'false',
    SEED_ON_EMPTY: 'false',
    API_HOST: '127.0.0.1',
    DATA_DIR: join(ROOT, 'tmp/bench/data'),
    WORKER_IN_API: 'false',
    MALLOC_MMAP_THRESHOLD_: '131072',
  };
  const servers = {};
  const start = async (name, main, extraEnv, health) => {
    const port = await freePort();
    const child = startChild(name, process.execPath, [...cfg.nodeOptions, ...prof(name), main], {
      cwd: dirname(main),
      env: { ...env, ...extraEnv, API_PORT: String(port), PORT: String(port) },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitHttp(url + health, child);
    servers[name] = { child, url };
  };
  const launch = {
    a: () => start('a', join(HERE, 'bare-server.mjs'), { POOL_MAX: String(cfg.pool) }, '/health'),
    b0: () => start('b0', cfg.base, {}, '/health/live'),
    b: () => start('b', join(ROOT, 'dist/apps/api/main.js'), {}, '/health/live'),
  };
  for (const n of ['a', 'b0', 'b']) await launch[n]();

  const path = '/api/v1/leads?limit=50';
  const bodies = await Promise.all(
    ['a', 'b0', 'b'].map(async (n) => {
      const r = await fetch(servers[n].url + path, {
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      if (!r.ok) throw new Error(`${n}: ${r.status} ${await r.text()}`);
      return r.text();
    }),
  );
  log(
    `pages: ${bodies.every((b) => b === bodies[0]) ? 'byte-identical' : 'DIFFERENT'} (${fmt.n(bodies[0].length)} bytes)`,
  );
  const requests = tokens.map((t) => ({
    method: 'GET',
    path,
    headers: { authorization: `Bearer ${t}` },
  }));
  const runs = { a: [], b0: [], b: [] };
  for (let round = 1; round <= cfg.rounds; round++) {
    // rotate who goes first, so that no build always follows the same one
    const order = ['a', 'b0', 'b'].map((_, i, xs) => xs[(i + round) % xs.length]);
    for (const n of order) {
      if (cfg.fresh) {
        if (servers[n]) await stopChild(servers[n].child);
        await launch[n]();
        await warmUp({
          url: servers[n].url,
          requests,
          connections: cfg.connections,
          amount: cfg.warmupRequests,
          serverPid: servers[n].child.pid,
        });
      }
      const r = await measure({
        url: servers[n].url,
        requests,
        serverPid: servers[n].child.pid,
        db: cfg.db,
        connections: cfg.connections,
        duration: cfg.duration,
        warmup: cfg.warmup,
      });
      runs[n].push(r);
      log(
        `round ${round} ${n.padEnd(2)} ${fmt.n(r.rps).padStart(5)} req/s  p99 ${fmt.n(r.p99, 1).padStart(6)} ms  server CPU ${fmt.n(r.serverCpuUsPerReq).padStart(6)} us/req  load ${r.load1.toFixed(1)}${r.non2xx ? `  ${r.non2xx} non-2xx` : ''}`,
      );
    }
  }
  const cpu = Object.fromEntries(
    Object.entries(runs).map(([n, rs]) => [n, median(rs.map((r) => r.serverCpuUsPerReq))]),
  );
  const perRound = (n) => runs[n].map((r, i) => r.serverCpuUsPerReq / runs.a[i].serverCpuUsPerReq);
  log('\nmedian server CPU per request:');
  log(`  (a)  bare             ${fmt.n(cpu.a).padStart(6)} us/req`);
  log(
    `  (b0) ${cfg.base
      .replace(/.*\/(.+\/dist)\//, '$1/')
      .slice(0, 16)
      .padEnd(
        16,
      )} ${fmt.n(cpu.b0).padStart(6)} us/req  (b0)/(a) ${median(perRound('b0')).toFixed(2)} (median of the rounds' ratios)`,
  );
  log(
    `  (b)  this checkout    ${fmt.n(cpu.b).padStart(6)} us/req  (b)/(a) ${median(perRound('b')).toFixed(2)}`,
  );
  log(
    `  req/s (best round): a ${fmt.n(Math.max(...runs.a.map((r) => r.rps)))}, b0 ${fmt.n(Math.max(...runs.b0.map((r) => r.rps)))}, b ${fmt.n(Math.max(...runs.b.map((r) => r.rps)))}`,
  );
  await stopAll();
  if (cfg.profile) {
    const layers = {};
    for (const n of ['a', 'b0', 'b']) {
      const dir = join(profDir, n);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      const main = n === 'b0' ? cfg.base : join(ROOT, 'dist/apps/api/main.js');
      if (file) layers[n] = layersOf(join(dir, file), dirname(main));
    }
    const names = [...new Set(Object.values(layers).flatMap((m) => [...m.keys()]))];
    const rows = names
      .map((l) => [l, ...['a', 'b0', 'b'].map((n) => (layers[n]?.get(l) ?? 0) * cpu[n])])
      .filter((r) => r.slice(1).some((x) => x >= 1))
      .sort((x, y) => y[2] - x[2]);
    log('\nserver CPU per request by layer (us/req, shares of each profile x its median CPU/req):');
    log(`  ${'layer'.padEnd(58)} ${'(a)'.padStart(6)} ${'(b0)'.padStart(6)} ${'(b)'.padStart(6)}`);
    for (const [l, a, b0, b] of rows)
      log(
        `  ${l.padEnd(58)} ${fmt.n(a).padStart(6)} ${fmt.n(b0).padStart(6)} ${fmt.n(b).padStart(6)}`,
      );
  }
}

main().then(
  () => process.exit(0),
  async (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    await stopAll();
    process.exit(1);
  },
);
