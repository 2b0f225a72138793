// Small helpers of the benchmark: arguments, child processes, ports, /proc sampling.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';

/**
 * The node flags every server of the benchmark runs with, the bare one
 * included: the API's production heap limit (docker/Dockerfile.api, the
 * systemd units) and the pretenuring the API turns off itself
 * (apps/api/src/pretenuring.ts), so that both meet the same V8.
 */
export const NODE_FLAGS = '--max-old-space-size=384 --no-allocation-site-pretenuring';

/** --node-options (default NODE_FLAGS) as an argument list. */
export function nodeFlagsOf(args) {
  return String(args['node-options'] ?? NODE_FLAGS)
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * `--name value`, `--flag` (true) and `--name=value`. Names in `takesValue`
 * always consume the next argument, even one starting with `--` (node flags).
 */
export function parseArgs(argv, takesValue = new Set()) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) {
      out[name] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && (takesValue.has(name) || !argv[i + 1].startsWith('--'))) {
      out[name] = argv[++i];
    } else {
      out[name] = true;
    }
  }
  return out;
}

export function intArg(args, name, fallback) {
  if (args[name] === undefined) return fallback;
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number (got "${args[name]}")`);
  return n;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One API request as `token`; the answer parsed, or an Error naming the status. */
export async function api(apiUrl, token, method, path, body) {
  const r = await fetch(apiUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls url until it answers 2xx (or the child dies, or time runs out). */
export async function waitHttp(url, child, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      const tail = child.output.slice(-20).join('\n');
      throw new Error(
        `${child.label} exited with code ${child.exitCode} before answering ${url}:\n${tail}`,
      );
    }
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const children = new Set();

/**
 * Starts a child with its output collected (the last lines are printed if
 * it fails); registered so that stopAll() ends it.
 */
export function startChild(label, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  child.label = label;
  child.output = [];
  const keep = (d) => {
    for (const line of String(d).split('\n')) {
      if (!line) continue;
      child.output.push(line);
      if (child.output.length > (child.keepLines ?? 200)) child.output.shift();
      if (opts.echo) process.stdout.write(`  [${label}] ${line}\n`);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the child is gone. */
export async function stopChild(child, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
}

export async function stopAll() {
  await Promise.all([...children].map((c) => stopChild(c, 5_000)));
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export async function run(label, cmd, args, opts = {}) {
  const child = startChild(label, cmd, args, opts);
  const { code, signal } = await child.exited;
  if (code !== 0) {
    throw new Error(
      `${label} failed (${signal ?? `exit ${code}`}):\n${child.output.slice(-30).join('\n')}`,
    );
  }
  return child.output;
}

/** VmRSS and VmHWM (peak) of a process, in MB; null once it is gone. */
export function memoryOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const CLK_TCK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5))
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** CPU seconds used by all processes of the machine so far (busy, total) from /proc/stat. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = line[3] + line[4];
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/** CPU seconds used so far by each PostgreSQL backend serving database `db` (its process title names it). */
export function postgresCpu(db) {
  const byPid = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.startsWith('postgres:') && title.includes(` ${db} `))
        byPid.set(pid, cpuSecondsOf(pid));
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** CPU seconds the backends of `before` and any new ones used since; backends that ended meanwhile are not counted. */
export function postgresCpuSince(before, db) {
  let sum = 0;
  for (const [pid, cpu] of postgresCpu(db)) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

/** Samples a process's memory every intervalMs; peak() is the highest RSS seen since the last reset. */
export function memorySampler(pid, intervalMs = 200) {
  let peak = 0;
  const tick = () => {
    const m = memoryOf(pid);
    if (m && m.rssMb > peak) peak = m.rssMb;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    peak: () => (tick(), peak),
    reset: () => {
      peak = 0;
      tick();
    },
    stop: () => clearInterval(timer),
  };
}

export const fmt = {
  n: (x, d = 0) =>
    Number.isFinite(x)
      ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
      : 'n/a',
  s: (ms) => `${(ms / 1000).toFixed(2)} s`,
};
