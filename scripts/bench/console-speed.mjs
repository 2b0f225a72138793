#!/usr/bin/env node
// npm run bench:console [-- flags]: how fast the built console shows its lists (issue 15 item 7).
// Builds nothing: it runs dist/apps/api/main.js serving dist/apps/console/browser (as `npm start`
// and the browser suite do) on a throwaway database with the demo tenant plus imported leads
// (~1,000), signs in through the login page in Debian's Chromium, and prints per run:
//   - cold load: a new browser context (empty HTTP cache) opening /leads, navigation start to the
//     first lead row on screen; the script requests and in how many waves they arrived;
//   - reload: the same page reloaded (HTTP cache warm), navigation start to the first row;
//   - in-app navigation, click to rows: leads -> calls -> agents -> dashboard -> leads, twice
//     (first visits of the page's life, then revisits);
//   - the longest main-thread task while loading and navigating (jank);
// then the median and p90 of each figure over the runs, with the machine's load.
// Figures are printed, never asserted. See docs/performance.md, "Console speed".
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import {
  freePort,
  intArg,
  machineCpu,
  parseArgs,
  run,
  startChild,
  stopAll,
  waitHttp,
} from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const MAIN = join(ROOT, 'dist/apps/api/main.js');
const CONSOLE_DIST = join(ROOT, 'dist/apps/console/browser');

const USAGE = `usage: npm run bench:console -- [flags]   (build first: npx nx run-many -t build -p api console)
  --runs N          measured runs, each in a new browser context (default 7)
  --leads N         leads of the tenant: the demo's 300 plus imported ones (default 1000)
  --url URL         measure a running console instead (with --email and --password; nothing seeded)
  --email E --password P   the login for --url
  --chromium PATH   the browser (default $CHROMIUM_PATH or /usr/bin/chromium)
  --admin-url URL   PostgreSQL owner connection (default $TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432)`;

/** What each page shows once its data is there. */
const READY = {
  leads: '[data-testid="lead-row"]',
  calls: '[data-testid="call-row"]',
  agents: '[data-testid="agent-row"]',
  dashboard: '[data-testid="stat-calls"]',
};
const TOUR = ['calls', 'agents', 'dashboard', 'leads'];

const log = (line = '') => process.stdout.write(`${line}\n`);

// Runs in the page before its own scripts: notes when a selector first shows (checked on every
// animation frame, i.e. just before the browser paints) and every long task.
function pageProbe() {
  const w = /** @type {any} */ (window);
  w.__speed = { longTasks: [] };
  w.__speedWhen = (selector) =>
    new Promise((done) => {
      const tick = () => {
        const el = document.querySelector(selector);
        const box = el?.getBoundingClientRect();
        if (box && box.height > 0 && box.top < innerHeight) done(performance.now());
        else requestAnimationFrame(tick);
      };
      tick();
    });
  w.__speedLongest = (from) =>
    Math.max(0, ...w.__speed.longTasks.filter((t) => t.end > from).map((t) => t.duration));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      w.__speed.longTasks.push({ duration: e.duration, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function main() {
  const args = parseArgs(process.argv.slice(2), new Set(['url', 'email', 'password', 'chromium']));
  if (args.help || args.h) return log(USAGE);
  const runs = Math.max(1, intArg(args, 'runs', 7));
  const executablePath = String(args.chromium ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  const adminUrl = String(
    args['admin-url'] ??
      process.env.TEST_DATABASE_URL?.replace(/\/[^/]*$/, '') ??
      'postgres://postgres@127.0.0.1:5432',
  );

  log(`console speed, ${runs} runs; load average at start ${loadText()}`);
  const cpuStart = machineCpu();
  let target;
  let dropDb = async () => undefined;
  try {
    if (args.url) {
      if (!args.email || !args.password) throw new Error('--url needs --email and --password');
      target = {
        baseUrl: String(args.url),
        email: String(args.email),
        password: String(args.password),
      };
    } else {
      const started = await startLocal(adminUrl, intArg(args, 'leads', 1000));
      target = started.target;
      dropDb = started.drop;
    }
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const storageState = await signIn(browser, target);
      await measureRun(browser, target.baseUrl, storageState); // warm-up, not counted
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await measureRun(browser, target.baseUrl, storageState);
        results.push(r);
        log(
          `run ${i + 1}: cold ${ms(r.cold)} (${r.scripts} scripts, ${r.waves} waves), reload ${ms(r.reload)}, ` +
            `first visits ${TOUR.map((p) => `${p} ${ms(r.first[p])}`).join(', ')}, ` +
            `revisits ${TOUR.map((p) => `${p} ${ms(r.again[p])}`).join(', ')}, longest task ${ms(r.longestTask)}`,
        );
      }
      report(results);
    } finally {
      await browser.close();
    }
  } finally {
    await stopAll();
    await dropDb();
  }
  const cpuEnd = machineCpu();
  const busy = (cpuEnd.busy - cpuStart.busy) / (cpuEnd.total - cpuStart.total);
  log(
    `machine: load average at end ${loadText()}, CPU busy ${(busy * 100).toFixed(0)}% during the run`,
  );
}

/** A throwaway database with the demo tenant and imported leads, and the built API serving the console. */
async function startLocal(adminUrl, leadCount) {
  if (!existsSync(MAIN) || !existsSync(join(CONSOLE_DIST, 'index.html')))
    throw new Error('build first: npx nx run-many -t build -p api console');
  const db = `acc_speed_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${adminUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: `${adminUrl}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await c.end();
  };
  try {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_MIGRATION_URL: `${adminUrl}/${db}`,
      DATABASE_URL: `${adminUrl.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, '$1acc_app@')}/${db}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      FRONTEND_URL: baseUrl,
      LOG_LEVEL: 'warn',
      SERVE_CONSOLE: 'true',
      CONSOLE_DIST,
      SEED_ON_EMPTY: 'false',
      THROTTLE_AUTH_LIMIT: '1000',
      THROTTLE_IP_LIMIT: '100000',
      MIGRATIONS_DIR: join(ROOT, 'migrations'),
      DATA_DIR: join(ROOT, 'tmp/bench/data'),
    };
    await run('migrate', process.execPath, [MAIN, 'migrate'], { cwd: ROOT, env });
    const out = await run('seed', process.execPath, [MAIN, 'seed'], { cwd: ROOT, env });
    const login = /sign in as (\S+) \/ (\S+)/.exec(out.join('\n'));
    if (!login) throw new Error(`the seed printed no login:\n${out.join('\n')}`);
    const api = startChild('api', process.execPath, [MAIN], { cwd: ROOT, env });
    await waitHttp(`${baseUrl}/health`, api);
    const target = { baseUrl, email: login[1], password: login[2] };
    await importLeads(target, leadCount);
    return { target, drop };
  } catch (e) {
    await stopAll();
    await drop();
    throw e;
  }
}

/** Tops the demo tenant's leads up to `total` with one CSV import. */
async function importLeads({ baseUrl, email, password }, total) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login: HTTP ${res.status}`);
  const { token } = await res.json();
  const auth = { authorization: `Bearer ${token}` };
  const page = await fetch(`${baseUrl}/api/v1/leads?limit=1`, { headers: auth }).then((r) =>
    r.json(),
  );
  const have = page.total ?? 300;
  const rows = Math.max(0, total - have);
  if (rows === 0) return;
  const csv = ['first_name,last_name,phone,company,tags'];
  for (let i = 0; i < rows; i++) {
    csv.push(`Speed${i},Tester${i},+1415556${String(i).padStart(4, '0')},Bench Co ${i % 37},bench`);
  }
  const imported = await fetch(`${baseUrl}/api/v1/leads/import`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: csv.join('\n'),
  });
  if (!imported.ok) throw new Error(`import: HTTP ${imported.status} ${await imported.text()}`);
}

/** Signs in through the login page; the session (local storage) is reused by every run. */
async function signIn(browser, { baseUrl, email, password }) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/dashboard/);
  await page.getByTestId('stat-calls').waitFor();
  const state = await context.storageState();
  await context.close();
  return state;
}

/** One run in a new context: cold load of /leads, a reload, then the tour of the lists twice. */
async function measureRun(browser, baseUrl, storageState) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    storageState,
    viewport: { width: 1440, height: 900 },
  });
  await context.addInitScript(pageProbe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const net = scriptLog(cdp);
  await cdp.send('Network.enable');
  try {
    await page.goto('/leads', { waitUntil: 'commit' });
    const cold = await page.evaluate((s) => window.__speedWhen(s), READY.leads);
    const { scripts, waves } = net.summary();
    let longestTask = await page.evaluate(() => window.__speedLongest(0));
    await page.waitForLoadState('networkidle');

    await page.reload({ waitUntil: 'commit' });
    const reload = await page.evaluate((s) => window.__speedWhen(s), READY.leads);
    longestTask = Math.max(longestTask, await page.evaluate(() => window.__speedLongest(0)));
    await page.waitForLoadState('networkidle');

    const first = {};
    const again = {};
    for (const visits of [first, again]) {
      for (const target of TOUR) {
        const r = await page.evaluate(
          async ({ link, ready }) => {
            // the link itself, clicked in the page: the time is the app's, not the driver's
            const a = document.querySelector(`[data-testid="${link}"]`);
            const t0 = performance.now();
            a.click();
            const t1 = await window.__speedWhen(ready);
            return { took: t1 - t0, longest: window.__speedLongest(t0) };
          },
          { link: `nav-${target}`, ready: READY[target] },
        );
        visits[target] = r.took;
        longestTask = Math.max(longestTask, r.longest);
        // let the page settle (late requests, idle preloading) before the next click
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(150);
      }
    }
    return { cold, reload, scripts, waves, first, again, longestTask };
  } finally {
    await context.close();
  }
}

/**
 * Script requests of the cold load, and their waves: a script requested by the page is wave 1,
 * one requested by a script of wave n (an import, static or dynamic) is wave n + 1.
 */
function scriptLog(cdp) {
  const byUrl = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.type !== 'Script' || byUrl.has(e.request.url)) return;
    const parent =
      e.initiator.url ??
      e.initiator.stack?.callFrames?.[0]?.url ??
      e.initiator.stack?.parent?.callFrames?.[0]?.url;
    byUrl.set(e.request.url, { parent });
  });
  const wave = (url, seen = new Set()) => {
    const r = byUrl.get(url);
    if (!r || seen.has(url)) return 0;
    seen.add(url);
    return 1 + wave(r.parent, seen);
  };
  return {
    summary: () => ({
      scripts: byUrl.size,
      waves: Math.max(0, ...[...byUrl.keys()].map((u) => wave(u))),
    }),
  };
}

function report(results) {
  const row = (label, values, unit = 'ms') => {
    const s = [...values].sort((a, b) => a - b);
    const med = s[Math.floor((s.length - 1) / 2)];
    const p90 = s[Math.ceil(0.9 * s.length) - 1];
    const f = unit === 'ms' ? ms : (x) => String(x);
    log(`  ${label.padEnd(40)} median ${f(med).padStart(7)}   p90 ${f(p90).padStart(7)}`);
  };
  log(`\nover ${results.length} runs:`);
  row(
    'cold load /leads -> rows',
    results.map((r) => r.cold),
  );
  row(
    'reload /leads -> rows',
    results.map((r) => r.reload),
  );
  row(
    'script requests (cold load)',
    results.map((r) => r.scripts),
    'n',
  );
  row(
    'script waves (cold load)',
    results.map((r) => r.waves),
    'n',
  );
  for (const p of TOUR)
    row(
      `first visit -> ${p}, click to rows`,
      results.map((r) => r.first[p]),
    );
  for (const p of TOUR)
    row(
      `revisit -> ${p}, click to rows`,
      results.map((r) => r.again[p]),
    );
  row(
    'longest main-thread task',
    results.map((r) => r.longestTask),
  );
}

const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');
const loadText = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

main().catch(async (e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : e}\n`);
  await stopAll();
  process.exit(1);
});
