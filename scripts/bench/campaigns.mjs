// (h) of npm run bench: running campaigns over many tenants on the simulator.
// Every tenant of the plan gets a campaign of its first `perTenant` leads,
// started through the API; one worker process (`main.js worker`) decides
// them. The simulator's steps are set far apart, so what is measured is the
// engine's dispatch decisions (call placed, scheduled for later, skipped),
// not the simulated conversations. One tenant in ten has a campaign whose
// window is closed now, and a twentieth of the leads is on the tenant's
// do-not-call list (the seed also marks a seventh `do_not_call`): the
// calls table then proves no call went to a closed window or a suppressed
// number, and that no lead was dialed twice.
import jwt from 'jsonwebtoken';
import { fmt } from './util.mjs';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TAG = 'bench_h';

/** A token of the tenant's owner, as the API signs them (the bench knows the secret). */
export function mintToken(secret, p, ver) {
  return jwt.sign({ sub: p.userId, tid: p.id, role: 'owner', ver }, secret, {
    algorithm: 'HS256',
    issuer: process.env.JWT_ISSUER ?? 'ai-call-center',
    audience: process.env.JWT_AUDIENCE ?? 'ai-call-center-api',
    expiresIn: '2h',
  });
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool(items, width, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export async function benchCampaigns({
  apiUrl,
  owner,
  tenants,
  perTenant,
  jwtSecret,
  startWorker,
  timeoutS,
  log,
}) {
  const ids = tenants.map((t) => t.id);
  // the leads of each campaign: a tag on the tenant's first leads
  const tagged = await owner.query(
    `UPDATE leads l SET tags = array_append(l.tags, '${TAG}')
       FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn
               FROM leads WHERE tenant_id = ANY($1::uuid[])) x
      WHERE l.tenant_id = x.tenant_id AND l.id = x.id AND x.rn <= $2`,
    [ids, perTenant],
  );
  // a twentieth of them on the do-not-call list
  const dnc = await owner.query(
    `INSERT INTO dnc_numbers (tenant_id, phone, reason)
     SELECT DISTINCT l.tenant_id, l.phone, 'bench'
       FROM (SELECT tenant_id, phone, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn
               FROM leads WHERE tenant_id = ANY($1::uuid[]) AND '${TAG}' = ANY(tags)) l
      WHERE l.rn % 20 = 0`,
    [ids],
  );
  // every tagged lead may be dialed at once: the cap is not what is measured
  await owner.query(
    `UPDATE tenant_configs SET max_concurrent_calls = $2, calling_days = '{1,2,3,4,5,6,7}'
      WHERE tenant_id = ANY($1::uuid[])`,
    [ids, Math.min(1000, perTenant)],
  );
  const versions = new Map(
    (
      await owner.query('SELECT id, token_version FROM users WHERE id = ANY($1::uuid[])', [
        tenants.map((t) => t.userId),
      ])
    ).rows.map((r) => [r.id, r.token_version]),
  );
  const agents = new Map(
    (
      await owner.query(
        `SELECT DISTINCT ON (tenant_id) tenant_id, id FROM agents
          WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, id`,
        [ids],
      )
    ).rows.map((r) => [r.tenant_id, r.id]),
  );
  const hour = new Date().getUTCHours();
  const closedStart = `${String((hour + 2) % 24).padStart(2, '0')}:00`;
  const closedEnd = `${String((hour + 2) % 24).padStart(2, '0')}:30`;
  log(
    `(h) ${fmt.n(tenants.length)} tenants, ${fmt.n(tagged.rowCount)} campaign leads, ${fmt.n(dnc.rowCount)} of their numbers on do-not-call lists; every 10th campaign's window (${closedStart}-${closedEnd} UTC) is closed now`,
  );

  const worker = await startWorker();
  const started = [];
  const closed = [];
  try {
    const t0 = performance.now();
    await pool(tenants, 8, async (p) => {
      const n = started.length + closed.length;
      const shut = n % 10 === 9;
      const token = mintToken(jwtSecret, p, versions.get(p.userId) ?? 0);
      const post = async (path, body) => {
        const r = await fetch(apiUrl + path, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const answer = await r.json().catch(() => null);
        if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(answer)}`);
        return answer;
      };
      const c = await post('/api/v1/campaigns', {
        name: 'bench (h)',
        agentId: agents.get(p.id),
        leads: { tags: [TAG] },
        schedule: {
          days: DAYS,
          window: shut ? { start: closedStart, end: closedEnd } : { start: '00:00', end: '23:59' },
          timezone: 'UTC',
        },
        retry: { maxAttempts: 1, outcomes: [], delayMinutes: 60 },
      });
      (shut ? closed : started).push(c.id);
      await post(`/api/v1/campaigns/${c.id}/start`, {});
    });
    const startMs = performance.now() - t0;
    log(
      `(h) created and started ${fmt.n(started.length + closed.length)} campaigns through the API in ${fmt.s(startMs)}`,
    );

    // decided: no longer waiting for its first decision
    const count = async () =>
      (
        await owner.query(
          `SELECT count(*) FILTER (WHERE state <> 'waiting' OR attempts > 0)::int AS decided,
                  count(*) FILTER (WHERE attempts > 0)::int AS dialed,
                  count(*)::int AS total
             FROM campaign_leads WHERE tenant_id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0];
    let c = await count();
    const deadline = Date.now() + timeoutS * 1000;
    while (c.decided < c.total && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      c = await count();
    }
    const decideMs = performance.now() - t0;
    const timing = (
      await owner.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_ms) AS p50,
                max(first_ms) AS max
           FROM (SELECT extract(epoch FROM min(k.created_at) - m.started_at) * 1000 AS first_ms
                   FROM campaigns m
                   JOIN campaign_leads cl ON cl.tenant_id = m.tenant_id AND cl.campaign_id = m.id
                   JOIN calls k ON k.tenant_id = cl.tenant_id AND k.id = cl.last_call_id
                  WHERE m.id = ANY($1::uuid[])
                  GROUP BY m.id, m.started_at) x`,
        [started],
      )
    ).rows[0];
    const proof = (
      await owner.query(
        `WITH bench_calls AS (
           SELECT k.tenant_id, k.lead_id, k.to_number, cl.campaign_id
             FROM calls k
             JOIN campaign_leads cl ON cl.tenant_id = k.tenant_id AND cl.lead_id = k.lead_id
            WHERE cl.campaign_id = ANY($1::uuid[]) AND k.created_at >= (
                    SELECT min(started_at) FROM campaigns WHERE id = ANY($1::uuid[])))
         SELECT
           (SELECT count(*) FROM (SELECT 1 FROM bench_calls GROUP BY tenant_id, lead_id
                                  HAVING count(*) > 1) d)::int AS doubled,
           (SELECT count(*) FROM bench_calls WHERE campaign_id = ANY($2::uuid[]))::int AS closed_window,
           (SELECT count(*) FROM bench_calls b JOIN dnc_numbers d
               ON d.tenant_id = b.tenant_id AND d.phone = b.to_number)::int AS dnc_list,
           (SELECT count(*) FROM bench_calls b JOIN leads l
               ON l.tenant_id = b.tenant_id AND l.id = b.lead_id AND l.status = 'do_not_call')::int AS dnc_lead,
           (SELECT count(*) FROM bench_calls)::int AS calls`,
        [[...started, ...closed], closed],
      )
    ).rows[0];
    const skipped = (
      await owner.query(
        `SELECT reason_code, count(*)::int AS n FROM campaign_leads
          WHERE tenant_id = ANY($1::uuid[]) AND state IN ('skipped', 'scheduled')
          GROUP BY reason_code ORDER BY n DESC`,
        [ids],
      )
    ).rows;
    const result = {
      tenants: tenants.length,
      leads: c.total,
      decided: c.decided,
      dialed: c.dialed,
      startMs,
      decideMs,
      decisionsPerS: c.decided / (decideMs / 1000),
      firstDispatchP50Ms: Number(timing.p50),
      firstDispatchMaxMs: Number(timing.max),
      proof,
      reasons: Object.fromEntries(skipped.map((r) => [r.reason_code ?? '-', r.n])),
    };
    log(
      `(h) ${fmt.n(c.decided)} of ${fmt.n(c.total)} leads decided in ${fmt.s(decideMs)} from the first start: ${fmt.n(result.decisionsPerS, 0)} decisions/s, ${fmt.n(c.dialed)} calls placed`,
    );
    log(
      `(h) start to first dispatch per campaign: p50 ${fmt.n(result.firstDispatchP50Ms, 0)} ms, max ${fmt.n(result.firstDispatchMaxMs, 0)} ms`,
    );
    log(
      `(h) from the calls table: ${proof.doubled} leads dialed twice, ${proof.closed_window} calls in a closed window, ${proof.dnc_list} to a number on a do-not-call list, ${proof.dnc_lead} to a lead marked do_not_call (${fmt.n(proof.calls)} calls)`,
    );
    log(`(h) not dialed, by reason: ${JSON.stringify(result.reasons)}`);
    if (proof.doubled + proof.closed_window + proof.dnc_list + proof.dnc_lead > 0)
      throw new Error('(h) the engine broke a rule: see the counts above');
    return result;
  } finally {
    await worker.stop();
  }
}
