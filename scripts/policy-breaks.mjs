#!/usr/bin/env node
// `npm run test:policies`: breaks every row-level security policy of
// migrations/ in turn (its USING, its WITH CHECK, and both, rewritten to
// `true`), and runs the RLS specs against a database migrated from that
// broken copy. Every break must make a spec fail (CAUGHT); one that passes
// every spec (SURVIVED) is a rule nothing tests, and the run fails.
//
//   node scripts/policy-breaks.mjs [--only <substring>] [extra spec paths...]
//
// Each break is first applied to a scratch database of its own, to prove the
// rewritten migrations still run and the policy really reads `true` (a
// migration that no longer applies would fail every spec and look caught).
// The specs then create their own databases from the same broken copy
// (ACC_TEST_MIGRATIONS_DIR, see apps/api/src/testing/test-database.ts).
// PostgreSQL: TEST_DATABASE_URL, else postgres@127.0.0.1:5432 (as for the tests).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const migrations = join(root, 'migrations');
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SPECS = ['apps/api/src/database/rls.spec.ts'];

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : null;
const specs = [...SPECS, ...args];

/** End of the parenthesised expression opening at `open` (quoted strings skipped). */
function closingParen(sql, open) {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'") i = sql.indexOf("'", i + 1);
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses from offset ${open}`);
}

/** Every CREATE POLICY of every migration, with the offsets of its clauses. */
function findPolicies() {
  const found = [];
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(migrations, file), 'utf8');
    const header = /CREATE POLICY (\w+) ON (\w+)(?:\s+FOR (\w+))?/g;
    for (let m; (m = header.exec(sql));) {
      const end = sql.indexOf(';', header.lastIndex);
      const statement = sql.slice(header.lastIndex, end);
      const clauses = {};
      for (const [name, keyword] of [
        ['USING', /\bUSING\s*\(/],
        ['WITH CHECK', /\bWITH CHECK\s*\(/],
      ]) {
        const at = statement.search(keyword);
        if (at < 0) continue;
        const open = sql.indexOf('(', header.lastIndex + at);
        clauses[name] = { open, close: closingParen(sql, open) };
      }
      if (!clauses.USING && !clauses['WITH CHECK'])
        throw new Error(`${file}: ${m[0]} has no clause`);
      found.push({ file, name: m[1], table: m[2], cmd: (m[3] ?? 'ALL').toUpperCase(), clauses });
    }
  }
  return found;
}

/** A scratch copy of migrations/ with the given clauses of one policy rewritten to (true). */
function brokenCopy(policy, clauseNames) {
  const dir = mkdtempSync(join(tmpdir(), 'acc-policy-break-'));
  cpSync(migrations, dir, { recursive: true });
  const path = join(dir, policy.file);
  let sql = readFileSync(path, 'utf8');
  // from the last clause backwards, so the earlier offsets stay valid
  const spans = clauseNames.map((c) => policy.clauses[c]).sort((x, y) => y.open - x.open);
  for (const { open, close } of spans) sql = `${sql.slice(0, open)}(true)${sql.slice(close + 1)}`;
  writeFileSync(path, sql);
  return dir;
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Applies the broken copy to a scratch database and reads the policy back:
 * the clauses broken must read `true`, the others must not.
 */
async function provenBreak(dir, policy, clauseNames) {
  const name = `acc_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const c = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  try {
    await c.connect();
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort())
      await c.query(readFileSync(join(dir, f), 'utf8'));
    const { rows } = await c.query(
      `SELECT qual, with_check FROM pg_policies
        WHERE schemaname = 'public' AND tablename = $1 AND policyname = $2`,
      [policy.table, policy.name],
    );
    if (rows.length !== 1) throw new Error('the policy is not in the migrated database');
    const read = { USING: rows[0].qual, 'WITH CHECK': rows[0].with_check };
    for (const clause of Object.keys(policy.clauses)) {
      const isTrue = read[clause] === 'true';
      if (isTrue !== clauseNames.includes(clause))
        throw new Error(`${clause} reads ${read[clause]} after the rewrite`);
    }
  } finally {
    await c.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** Runs the specs on the copy; the names of the tests that failed. */
function failingTests(dir) {
  const out = join(dir, 'jest-result.json');
  const run = spawnSync(
    'npx',
    ['jest', '-c', 'apps/api/jest.config.cts', '--ci', '--json', `--outputFile=${out}`, ...specs],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        ACC_TEST_MIGRATIONS_DIR: dir,
        NX_DAEMON: 'false',
        NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
      },
    },
  );
  let result;
  try {
    result = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    throw new Error(`jest gave no result (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
  }
  if (result.numTotalTests === 0) throw new Error('jest ran no test');
  return result.testResults.flatMap((f) =>
    f.assertionResults
      .filter((t) => t.status === 'failed')
      .map((t) => [...t.ancestorTitles.slice(1), t.title].join(' > ')),
  );
}

const policies = findPolicies().filter(
  (p) => !only || `${p.file} ${p.table}.${p.name}`.includes(only),
);
const breaks = policies.flatMap((p) => {
  const names = Object.keys(p.clauses);
  return names.length === 2 ? [...names.map((n) => [p, [n]]), [p, names]] : [[p, names]];
});

// the specs must pass on the unbroken copy, or no break can be told apart
const baseline = mkdtempSync(join(tmpdir(), 'acc-policy-break-'));
cpSync(migrations, baseline, { recursive: true });
try {
  const failed = failingTests(baseline);
  if (failed.length) {
    console.error(`the specs fail without any break:\n  ${failed.join('\n  ')}`);
    process.exit(1);
  }
} finally {
  rmSync(baseline, { recursive: true, force: true });
}
console.log(`${breaks.length} breaks of ${policies.length} policies; specs: ${specs.join(' ')}\n`);

const tally = { CAUGHT: 0, SURVIVED: 0, ERROR: 0 };
for (const [policy, clauseNames] of breaks) {
  const label = `${policy.file} ${policy.table}.${policy.name} (FOR ${policy.cmd}) ${clauseNames.join(' + ')} -> true`;
  const dir = brokenCopy(policy, clauseNames);
  let verdict;
  let detail = '';
  try {
    await provenBreak(dir, policy, clauseNames);
    const failed = failingTests(dir);
    verdict = failed.length ? 'CAUGHT' : 'SURVIVED';
    detail = failed.map((t) => `\n      by: ${t}`).join('');
  } catch (e) {
    verdict = 'ERROR';
    detail = `\n      ${e.message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  tally[verdict]++;
  console.log(`${verdict.padEnd(8)} ${label}${detail}`);
}

console.log(
  `\n${tally.CAUGHT} caught, ${tally.SURVIVED} survived, ${tally.ERROR} could not be made`,
);
process.exit(tally.SURVIVED || tally.ERROR ? 1 : 0);
