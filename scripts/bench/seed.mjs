// Seeds the benchmark database as the owner (superuser `postgres`, so
// row-level security does not apply), set-based: every table is filled by a
// few INSERT ... SELECT over generate_series for all tenants at once.
//
// Ids are derived from names (md5, shaped as a version-4 UUID), so leads and
// calls can point at agents and leads without joins, and the plan table
// bench_plan says which tenant is which.
import pg from 'pg';

/** md5 of a text, shaped as an RFC 4122 version-4 UUID (the API's z.uuid() accepts it). */
const U = (text) => `overlay(overlay(md5(${text}) placing '4' from 13) placing 'a' from 17)::uuid`;

const FIRST = `(ARRAY['Ava','Ben','Chloe','Diego','Emma','Farid','Grace','Hiro','Isla','Jonas','Kira','Liam','Maya','Noah','Olga','Priya','Quinn','Rosa','Sami','Tara'])`;
const LAST = `(ARRAY['Smith','Garcia','Chen','Mueller','Okafor','Rossi','Dubois','Kowalski','Silva','Nakamura','Haddad','Novak','Jensen','Patel','Moreau'])`;
const COMPANY = `(ARRAY['Acme Corp','Globex','Initech','Umbrella','Hooli','Stark Industries','Wayne Enterprises','Vandelay','Soylent','Cyberdyne',NULL,NULL])`;
const LEAD_STATUS = `(ARRAY['new','new','contacted','qualified','converted','lost','do_not_call'])`;
const SOURCE = `(ARRAY['web form','referral','trade show','import','partner'])`;
const TZ = `(ARRAY['America/New_York','America/Chicago','America/Los_Angeles','Europe/London'])`;
const CALL_STATUS = `(ARRAY['completed','completed','completed','no_answer','voicemail','busy','failed','completed'])`;
const OUTCOME = `(ARRAY['interested','callback','not_interested','appointment_set','wrong_number','sold'])`;
const ANSWERS = [
  'Sounds good, call me next week.',
  'Yes, let us book a demo.',
  'No thanks, we are happy as we are.',
  'Can you email me a quote?',
];
// Four transcripts, built once per statement (constant-folded), indexed per row.
const TRANSCRIPTS = `(ARRAY[${ANSWERS.map(
  (a) => `jsonb_build_array(
      jsonb_build_object('role','agent','text','Hi, this is the AI assistant from the team. Is now a good time?','startMs',0),
      jsonb_build_object('role','lead','text','Sure, what is it about?','startMs',4200),
      jsonb_build_object('role','agent','text','We noticed your plan renews soon and wanted to walk you through the options.','startMs',7100),
      jsonb_build_object('role','lead','text','${a}','startMs',15800),
      jsonb_build_object('role','agent','text','Perfect, I have noted that. Thank you for your time!','startMs',21000))`,
).join(',')}])`;

/** Seeded data spans this many days back from now. */
const SPAN_SECONDS = 90 * 86_400;
export const AGENTS_PER_TENANT = 3;

/**
 * Fills an empty, migrated database: `tenants` ordinary tenants sharing
 * `leads` and `calls` evenly, plus a "big" tenant with `bigLeads` leads (for
 * page 1,000) and two empty scratch tenants ("import" and "copy"). Every
 * tenant has an owner (password hash given), a membership, a config row and
 * three agents. Runs on two connections (odd and even tenants) to use both cores.
 * Returns the timings of each step in ms.
 */
export async function seed(url, { tenants, leads, calls, bigLeads, bigCalls, passwordHash, log }) {
  const timings = {};
  const step = async (name, fn) => {
    const t0 = performance.now();
    await fn();
    timings[name] = performance.now() - t0;
    log(`  ${name.padEnd(28)} ${(timings[name] / 1000).toFixed(1)} s`);
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined); // a dropped connection surfaces on the next query
    await c.connect();
    // Generated rows are consistent by construction: skip the FK triggers
    // (superuser only) and the per-row WAL flush wait.
    await c.query(`SET session_replication_role = replica; SET synchronous_commit = off;
                   SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'`);
    return c;
  };
  const [a, b] = await Promise.all([connect(), connect()]);
  try {
    await step('plan, tenants, users, agents', async () => {
      await a.query(`
        CREATE TABLE bench_plan (
          n int PRIMARY KEY, tag text NOT NULL UNIQUE, id uuid NOT NULL, user_id uuid NOT NULL,
          email text NOT NULL, leads int NOT NULL, calls int NOT NULL)`);
      await a.query(
        `INSERT INTO bench_plan (n, tag, id, user_id, email, leads, calls)
         SELECT n, tag, ${U(`'bench-tenant-' || n`)}, ${U(`'bench-user-' || n`)}, 'owner-' || tag || '@bench.example',
                leads, calls
           FROM (SELECT n, 't' || n AS tag,
                        $2::int / $1::int + CASE WHEN n <= $2::int % $1::int THEN 1 ELSE 0 END AS leads,
                        $3::int / $1::int + CASE WHEN n <= $3::int % $1::int THEN 1 ELSE 0 END AS calls
                   FROM generate_series(1, $1::int) n
                 UNION ALL VALUES (0, 'big', $4::int, $5::int), (-1, 'import', 0, 0), (-2, 'copy', 0, 0)) p`,
        [tenants, leads, calls, bigLeads, bigCalls],
      );
      await a.query(
        `INSERT INTO tenants (id, name, slug, created_at)
         SELECT id, 'Bench tenant ' || tag, 'bench-' || tag, now() - interval '100 days' FROM bench_plan`,
      );
      await a.query(
        `INSERT INTO users (id, email, password_hash, full_name, current_tenant_id, created_at)
         SELECT user_id, email, $1, 'Owner of ' || tag, id, now() - interval '100 days' FROM bench_plan`,
        [passwordHash],
      );
      await a.query(
        `INSERT INTO tenant_users (tenant_id, user_id, role, status) SELECT id, user_id, 'owner', 'active' FROM bench_plan`,
      );
      await a.query(
        `INSERT INTO agents (id, tenant_id, name, status, direction, language, voice, llm_provider, llm_model,
                             system_prompt, first_message, disposition_codes, created_at)
         SELECT ${U(`'bench-agent-' || p.n || '-' || g`)}, p.id,
                (ARRAY['Ava (appointments)','Max (renewals)','Lena (support)'])[g], 'active',
                (ARRAY['outbound','inbound','both'])[g], 'en-US', 'alloy', 'openai', 'gpt-4o-mini',
                'You are a friendly, concise assistant for a call center.',
                'Hi, this is an AI assistant calling on behalf of our team. Is now a good time?',
                ARRAY['interested','callback','not_interested'], now() - interval '100 days' + make_interval(mins => g)
           FROM bench_plan p, generate_series(1, ${AGENTS_PER_TENANT}) g`,
      );
      await a.query(
        `INSERT INTO tenant_configs (tenant_id, timezone, default_agent_id)
         SELECT id, 'America/New_York', ${U(`'bench-agent-' || n || '-1'`)} FROM bench_plan`,
      );
    });

    // Lead g of tenant n: phone +1 (2002000000 + g), created (g / leads) of the span ago, newest first.
    const leadsSql = `
      INSERT INTO leads (id, tenant_id, first_name, last_name, phone, email, company, status, source,
                         assigned_agent_id, tags, timezone, last_contacted_at, created_at, updated_at)
      SELECT ${U(`'bench-lead-' || p.n || '-' || g`)}, p.id, x.f, x.l, '+1' || (2002000000 + g)::text,
             lower(x.f || '.' || x.l || g || '@example.com'), ${COMPANY}[1 + g % 12],
             ${LEAD_STATUS}[1 + g % 7], ${SOURCE}[1 + g % 5],
             ${U(`'bench-agent-' || p.n || '-' || (1 + g % ${AGENTS_PER_TENANT})`)},
             CASE g % 4 WHEN 0 THEN ARRAY['vip','renewal'] WHEN 1 THEN ARRAY['spring-campaign']
                        WHEN 2 THEN ARRAY['enterprise','vip'] ELSE ARRAY['smb','web'] END,
             ${TZ}[1 + g % 4],
             CASE WHEN g % 3 = 0 THEN x.ts + interval '2 days' END, x.ts, x.ts
        FROM bench_plan p, generate_series(1, p.leads) g,
             LATERAL (SELECT ${FIRST}[1 + (g * 7) % 20] AS f, ${LAST}[1 + (g * 11) % 15] AS l,
                             now() - make_interval(secs => ${SPAN_SECONDS}.0 * g / p.leads) AS ts) x
       WHERE p.leads > 0 AND (p.n % 2 + 2) % 2 = $1`;
    // Call g of tenant n: lead k = 1 + (31 g mod leads), agent 1 + (g mod 3).
    const callsSql = `
      INSERT INTO calls (id, tenant_id, agent_id, lead_id, direction, status, from_number, to_number,
                         started_at, answered_at, ended_at, end_reason, outcome, sentiment, summary, transcript,
                         recording_url, cost, provider, provider_call_id, created_at, updated_at)
      SELECT ${U(`'bench-call-' || p.n || '-' || g`)}, p.id,
             ${U(`'bench-agent-' || p.n || '-' || (1 + g % ${AGENTS_PER_TENANT})`)},
             ${U(`'bench-lead-' || p.n || '-' || x.k`)},
             CASE WHEN g % 5 = 0 THEN 'inbound' ELSE 'outbound' END, x.s,
             '+14155550100', '+1' || (2002000000 + x.k)::text,
             x.at, CASE WHEN x.s = 'completed' THEN x.at + interval '6 seconds' END,
             x.at + make_interval(secs => CASE WHEN x.s = 'completed' THEN 30 + (g * 37) % 420 ELSE 25 END),
             CASE WHEN x.s = 'completed' THEN 'hangup' ELSE x.s END,
             CASE WHEN x.s = 'completed' THEN ${OUTCOME}[1 + g % 6] END,
             CASE WHEN x.s = 'completed' THEN (ARRAY['positive','neutral','negative'])[1 + g % 3] END,
             CASE WHEN x.s = 'completed' THEN 'The lead discussed their current plan.' END,
             CASE WHEN x.s = 'completed' THEN ${TRANSCRIPTS}[1 + g % 4] ELSE '[]'::jsonb END,
             CASE WHEN x.s = 'completed' THEN 'https://recordings.example.com/' || p.n || '-' || g || '.mp3' END,
             round((0.02 + ((g * 13) % 90) / 100.0)::numeric, 4), 'bench', p.n || '-' || g, x.at, x.at
        FROM bench_plan p, generate_series(1, p.calls) g,
             LATERAL (SELECT 1 + (g * 31) % p.leads AS k, ${CALL_STATUS}[1 + g % 8] AS s,
                             now() - make_interval(secs => ${SPAN_SECONDS}.0 * g / p.calls) AS at) x
       WHERE p.leads > 0 AND p.calls > 0 AND (p.n % 2 + 2) % 2 = $1`;
    await step('leads + calls (2 connections)', async () => {
      await Promise.all([
        a.query(leadsSql, [0]).then(() => a.query(callsSql, [0])),
        b.query(leadsSql, [1]).then(() => b.query(callsSql, [1])),
      ]);
    });
    await step('VACUUM ANALYZE', async () => {
      await Promise.all([
        a.query('VACUUM (ANALYZE) leads'),
        b
          .query('VACUUM (ANALYZE) calls')
          .then(() =>
            b.query(
              'VACUUM (ANALYZE) tenants, users, tenant_users, tenant_configs, agents, bench_plan',
            ),
          ),
      ]);
    });
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
  return timings;
}
