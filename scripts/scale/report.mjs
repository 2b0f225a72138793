// Judges a scale-out test run (scripts/scale-test.sh): reads what load.mjs
// recorded, the script's event timeline and the database, prints the
// figures and PASS/FAIL per assertion; exit code 1 on any FAIL.
//
//   node scripts/scale/report.mjs --tenants tenants.json --results results.json
//        --events events.jsonl --db postgres://... --api1 127.0.0.1:P1 --api2 127.0.0.1:P2
//
// --db must see every tenant's rows (a superuser or a BYPASSRLS role).
import { readFileSync } from 'node:fs';
import pg from 'pg';

const a = {};
for (let i = 2; i < process.argv.length; i += 2)
  a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

const { runId, tenants } = JSON.parse(readFileSync(a.tenants, 'utf8'));
const R = JSON.parse(readFileSync(a.results, 'utf8'));
const events = {};
for (const line of readFileSync(a.events, 'utf8').split('\n').filter(Boolean)) {
  const e = JSON.parse(line);
  events[e.ev] = e;
}
const at = (name) => {
  if (!events[name]) throw new Error(`event ${name} missing from ${a.events}`);
  return events[name].t;
};

const FOREIGN_PROBE = R.kinds.indexOf('GET /leads/:id (other tenant)');
const POST_LEADS = R.kinds.indexOf('POST /leads');
const ok = ([, , kind, status]) =>
  (status >= 200 && status < 300) || (kind === FOREIGN_PROBE && status === 404);
const inFlightAt = (q, t) => q[0] <= t && q[1] >= t;
const overlaps = (q, from, to) => q[0] <= to && q[1] >= from;
const usedApi = (q, addr) => q[5].split(/[ ,]+/).includes(addr);

// ---- health timeline: outage and recovery ----------------------------------------
const pgStopBegin = at('pg.stop.begin');
const pgStopDone = at('pg.stop.done');
const pgStartBegin = at('pg.start.begin');
const pgStartDone = at('pg.start.done');
const targets = R.healthUrls.map((u, i) => {
  const rows = R.health.filter((h) => h[1] === i);
  const down = rows.filter((h) => h[0] >= pgStopDone && h[0] + h[3] <= pgStartBegin);
  // recovered = first 200 after PostgreSQL is back, from which on it stays 200
  // (until the SIGTERM test stops that instance)
  const until = at('term.begin');
  let recoveredAt = null;
  for (const h of rows.filter((h) => h[0] >= pgStartDone && h[0] < until)) {
    if (h[2] === 200 && recoveredAt === null) recoveredAt = h[0] + h[3];
    else if (h[2] !== 200) recoveredAt = null;
  }
  return {
    url: u,
    downStatuses: [...new Set(down.map((h) => h[2]))],
    saw503: down.some((h) => h[2] === 503),
    bad: down.filter((h) => h[2] !== 503 && h[2] !== 200).length,
    maxDownMs: Math.max(0, ...down.map((h) => h[3])),
    recoveredAt,
  };
});
const recoveredAt = targets.every((t) => t.recoveredAt !== null)
  ? Math.max(...targets.map((t) => t.recoveredAt))
  : null;
const recoverySeconds = recoveredAt === null ? null : (recoveredAt - pgStartDone) / 1000;
// Requests in flight at any moment between "PostgreSQL stops" and "every
// /health is 200 again" (+1 s for answers already on their way) belong to the outage.
const outageFrom = pgStopBegin;
const outageTo = (recoveredAt ?? at('term.begin')) + 1000;

// ---- classify every request ----------------------------------------------------
const killAt = at('kill.begin');
const killDone = at('kill.done');
const termAt = at('term.begin');
const termExited = at('term.exited');
const api1 = a.api1;
const api2 = a.api2;
const fig = {
  requests: R.requests.length,
  ok: 0,
  outage503: 0,
  outage503MaxMs: 0,
  outageOther: [],
  killPost502: 0,
  killCut: 0,
  killOther: [],
  drainErrors: [],
  drainInFlight: 0,
  drainInFlightOk: 0,
  errors5xx: [],
  hangs: [],
  other: [],
};
for (const q of R.requests) {
  const [, , kind, status] = q;
  if (inFlightAt(q, termAt) && usedApi(q, api2)) {
    fig.drainInFlight++;
    if (ok(q)) fig.drainInFlightOk++;
  }
  if (ok(q)) {
    fig.ok++;
    continue;
  }
  if (overlaps(q, outageFrom, outageTo)) {
    if (status === 503) {
      fig.outage503++;
      fig.outage503MaxMs = Math.max(fig.outage503MaxMs, q[1] - q[0]);
    } else fig.outageOther.push(q);
  } else if (q[0] <= killDone + 50 && q[1] >= killAt && (usedApi(q, api1) || status === -1)) {
    // In flight on the instance that was killed. nginx resends what it safely
    // can (GETs, requests not yet sent); a POST it had sent gets 502, and an
    // answer nginx had begun to relay is cut off (the client sees a dropped
    // connection, status -1).
    if (kind === POST_LEADS && status === 502) fig.killPost502++;
    else if (status === -1) fig.killCut++;
    else fig.killOther.push(q);
  } else if (
    overlaps(q, termAt, termExited + 1000) ||
    (q[0] >= termAt && usedApi(q, api2) && q[0] <= termExited)
  ) {
    fig.drainErrors.push(q);
  } else if (status === 0) fig.hangs.push(q);
  else if (status >= 500 || status < 0) fig.errors5xx.push(q);
  else fig.other.push(q);
}
const nginxAnsweredAfterKill = R.requests.filter(
  (q) => q[0] >= killAt && q[1] <= killAt + 3000 && ok(q),
).length;

// ---- database: every acknowledged write is there ---------------------------------
const db = new pg.Client({ connectionString: a.db });
await db.connect();
const { rows } = await db.query(
  `SELECT l.id::text AS id, l.tenant_id::text AS tenant_id, l.phone, l.company
     FROM leads l JOIN tenants t ON t.id = l.tenant_id
    WHERE t.name LIKE $1`,
  [`Scale T%-${runId}`],
);
await db.end();
const byId = new Map(rows.map((r) => [r.id, r]));
let acked = 0;
let lost = 0;
let misfiled = 0;
const lostIds = [];
tenants.forEach((t, i) => {
  R.acked[i].forEach((id, k) => {
    acked++;
    const row = byId.get(id);
    if (!row) {
      lost++;
      lostIds.push(id);
    } else if (
      row.tenant_id !== t.tenantId ||
      row.phone !== R.ackedPhones[i][k] ||
      row.company !== t.marker
    )
      misfiled++;
  });
});
const sentPhones = new Set(
  tenants.flatMap((t, i) => [...R.ackedPhones[i], ...R.unknown[i]].map((p) => `${i}|${p}`)),
);
const tenantIdx = new Map(tenants.map((t, i) => [t.tenantId, i]));
const phantom = rows.filter(
  (r) => !sentPhones.has(`${tenantIdx.get(r.tenant_id)}|${r.phone}`),
).length;
const unknownTotal = R.unknown.reduce((s, u) => s + u.length, 0);
const unknownStored = rows.length - acked + lost; // rows not acknowledged = creations answered with an error that committed anyway

// ---- print -------------------------------------------------------------------
const byKind = R.kinds
  .map((k, i) => `${k} ${R.requests.filter((q) => q[2] === i).length}`)
  .join(', ');
const secs = (ms) => (ms / 1000).toFixed(1);
const t0 = R.requests.reduce((m, q) => Math.min(m, q[0]), Infinity);
const show = (qs) =>
  qs
    .slice(0, 5)
    .map(
      (q) =>
        `      t+${secs(q[0] - t0)}s ${R.kinds[q[2]]} -> ${q[3]} via ${q[5] || '-'} ${q[6] >= 0 ? JSON.stringify(R.errors[q[6]]).slice(0, 160) : ''}`,
    )
    .join('\n');

console.log('');
console.log('== figures');
console.log(
  `   requests               ${fig.requests} (${fig.ok} ok) in ${secs(Math.max(...R.requests.map((q) => q[1])) - t0)} s; ${byKind}`,
);
console.log(
  `   tenants                ${tenants.length}; rows checked against the caller's tenant in every answer`,
);
console.log(`   mismatches             ${R.problems.length}`);
console.log(
  `   5xx outside outage     ${fig.errors5xx.length + fig.killOther.length + fig.drainErrors.length} (plus, in flight on the SIGKILLed instance: ${fig.killPost502} POSTs -> 502, not resent by design; ${fig.killCut} answers cut mid-body)`,
);
console.log(`   hangs (> 15 s)         ${fig.hangs.length}`);
console.log(`   other non-2xx          ${fig.other.length}`);
console.log(
  `   outage 503s            ${fig.outage503} (slowest ${fig.outage503MaxMs} ms); other errors during the outage ${fig.outageOther.length} (PostgreSQL down ${secs(pgStartDone - pgStopBegin)} s; requests in flight until /health recovered +1 s)`,
);
console.log(
  `   /health during outage  ${targets.map((t) => `${t.url.replace('http://', '')}: ${t.downStatuses.join('/') || 'none'} (max ${t.maxDownMs} ms)`).join('; ')}`,
);
console.log(
  `   recovery seconds       ${recoverySeconds === null ? 'never' : recoverySeconds.toFixed(2)} (PostgreSQL accepting connections -> every /health 200, no API restart)`,
);
console.log(
  `   acknowledged writes    ${acked} leads; lost ${lost}; wrong tenant/content ${misfiled}; rows never sent ${phantom}`,
);
console.log(
  `   unacknowledged POSTs   ${unknownTotal} answered with an error, ${unknownStored} of them committed anyway (outcome unknown to the client)`,
);
console.log(
  `   SIGKILL                nginx answered ${nginxAnsweredAfterKill} requests ok within 3 s after the kill`,
);
console.log(
  `   SIGTERM                ${fig.drainInFlight} requests in flight on the draining instance, ${fig.drainInFlightOk} finished ok; exit code ${events['term.exited'].code} after ${secs(termExited - termAt)} s`,
);

const checks = [];
const check = (name, pass, detail = '') => checks.push({ name, pass, detail });
check(
  "0 mismatches: every row returned belongs to the caller's tenant",
  R.problems.length === 0,
  R.problems
    .slice(0, 5)
    .map((p) => `      ${p.kind} tenant ${p.tenant}: ${p.what}`)
    .join('\n'),
);
check('0 5xx outside the planned outage', fig.errors5xx.length === 0, show(fig.errors5xx));
check(
  '0 hangs, 0 unexpected 4xx',
  fig.hangs.length === 0 && fig.other.length === 0,
  show([...fig.hangs, ...fig.other]),
);
check(
  'SIGKILL of one instance: nginx keeps answering (only requests in flight on it fail)',
  fig.killOther.length === 0 && nginxAnsweredAfterKill > 0,
  show(fig.killOther),
);
check(
  'PostgreSQL down: /health 503 through nginx and on each instance',
  targets.every((t) => t.saw503 && t.bad === 0),
  targets.map((t) => `      ${t.url}: ${t.downStatuses.join(',')}`).join('\n'),
);
check(
  'PostgreSQL down: requests fail with 503 only (no 500, no hang)',
  fig.outageOther.length === 0,
  show(fig.outageOther),
);
check(
  'PostgreSQL back: /health 200 again without restarting the API',
  recoverySeconds !== null && events['pg.start.done'].pids === events['pg.stop.begin'].pids,
  `      pids before ${events['pg.stop.begin'].pids}, after ${events['pg.start.done'].pids}`,
);
check(
  '0 lost writes: every acknowledged lead is in the database, in its tenant',
  lost === 0 && misfiled === 0 && phantom === 0,
  lostIds
    .slice(0, 5)
    .map((id) => `      lost ${id}`)
    .join('\n'),
);
check(
  'SIGTERM under load: in-flight requests finish, 0 client errors, clean exit',
  fig.drainErrors.length === 0 &&
    fig.drainInFlight === fig.drainInFlightOk &&
    events['term.exited'].code === 0,
  show(fig.drainErrors),
);

console.log('');
console.log('== assertions');
for (const c of checks) {
  console.log(`   ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}`);
  if (!c.pass && c.detail) console.log(c.detail);
}
const failed = checks.filter((c) => !c.pass).length;
console.log('');
console.log(`scale test: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
