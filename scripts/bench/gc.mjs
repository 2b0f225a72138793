#!/usr/bin/env node
// One server at a time under the leads-page load, with V8's GC trace
// (issue 17, "Fourth pass"): how much of each request survives into old
// space, on the database kept by `npm run bench -- --small --only a --keep`.
//
//   node scripts/bench/gc.mjs --server dist/apps/api/main.js [--requests 8000]
//   node scripts/bench/gc.mjs --server scripts/bench/bare-server.mjs
//     [--node-options "--max-old-space-size=384"]  (default: util.mjs NODE_FLAGS)
//
// 3,000 requests of warm-up, then --requests at 50 connections; prints the
// server's CPU per request, scavenges, KB promoted per request, scavenge
// pause per request, mark-compacts and VmHWM (from --trace-gc-nvp).
import { dirname, resolve } from 'node:path';
import autocannon from 'autocannon';
import {
  cpuSecondsOf,
  freePort,
  intArg,
  memoryOf,
  nodeFlagsOf,
  parseArgs,
  startChild,
  stopAll,
  waitHttp,
} from './util.mjs';
import { signedOwnerTokens } from './tokens.mjs';

async function main() {
  const args = parseArgs(process.argv.slice(2), new Set(['server', 'node-options', 'db']));
  if (!args.server) throw new Error('--server path/to/main.js (or bare-server.mjs)');
  const server = resolve(String(args.server));
  const requests = intArg(args, 'requests', 8000);
  const db = String(args.db ?? 'acc_bench_perf');
  const admin = process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const { secret, tokens } = await signedOwnerTokens(`${admin}/${db}`);
  const port = await freePort();
  const nodeOptions = nodeFlagsOf(args);
  const child = startChild('server', process.execPath, [...nodeOptions, '--trace-gc-nvp', server], {
    cwd: dirname(server),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: `${admin.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, '$1acc_app@')}/${db}`,
      DATABASE_POOL_MAX: '10',
      POOL_MAX: '10',
      MIGRATE_ON_BOOT: 'false',
      JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      SERVE_CONSOLE: 'false',
      SEED_ON_EMPTY: 'false',
      WORKER_IN_API: 'false',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      PORT: String(port),
    },
  });
  child.keepLines = 100_000;
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(url + (server.endsWith('bare-server.mjs') ? '/health' : '/health/live'), child);
  const load = (amount) =>
    new Promise((ok, fail) =>
      autocannon(
        {
          url,
          connections: 50,
          amount,
          requests: tokens.map((t) => ({
            method: 'GET',
            path: '/api/v1/leads?limit=50',
            headers: { authorization: `Bearer ${t}` },
          })),
        },
        (e, r) => (e ? fail(e) : ok(r)),
      ),
    );
  await load(3000);
  child.output.length = 0;
  const cpu0 = cpuSecondsOf(child.pid);
  const r = await load(requests);
  const cpu = cpuSecondsOf(child.pid) - cpu0;
  await new Promise((ok) => setTimeout(ok, 500));
  const gc = child.output.filter((l) => l.includes(' gc='));
  const field = (l, k) => Number(new RegExp(`\\b${k}=([\\d.]+)`).exec(l)?.[1] ?? 0);
  const sum = (ls, k) => ls.reduce((s, l) => s + field(l, k), 0);
  const scavenges = gc.filter((l) => l.includes(' gc=s '));
  const compacts = gc.filter((l) => /gc=m?mc\b/.test(l));
  const line = (k, v) => process.stdout.write(`${k.padEnd(34)} ${v}\n`);
  line('answers (2xx, other)', `${r['2xx']}, ${r.non2xx}`);
  line('req/s', Math.round(r.requests.average));
  line('server CPU per request', `${Math.round((cpu * 1e6) / r['2xx'])} us`);
  line('scavenges', scavenges.length);
  line(
    'promoted to old space per request',
    `${(sum(scavenges, 'promoted') / 1024 / requests).toFixed(1)} KB`,
  );
  line(
    'scavenge pause per request',
    `${Math.round((sum(scavenges, 'pause') * 1000) / requests)} us`,
  );
  line('mark-compacts (pause)', `${compacts.length} (${Math.round(sum(compacts, 'pause'))} ms)`);
  line('VmHWM', `${Math.round(memoryOf(child.pid)?.hwmMb ?? 0)} MB`);
}

main().then(
  () => stopAll().then(() => process.exit(0)),
  async (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    await stopAll();
    process.exit(1);
  },
);
