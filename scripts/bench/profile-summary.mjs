// Summarises a V8 .cpuprofile (node --cpu-prof): self time by package and
// by function, and inclusive time of the frames that matter for a request.
// Usage: node scripts/bench/profile-summary.mjs file.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function packageOf(url) {
  if (!url) return '(native/V8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  if (/dist\/apps\/api/.test(url)) return 'api (own code)';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

export function summarise(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  prof.samples.forEach((id, i) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)),
  );
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = new Set(
    prof.nodes
      .filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName))
      .map((n) => n.id),
  );
  let idleUs = 0;
  for (const id of idle) idleUs += selfUs.get(id) ?? 0;
  const busy = total - idleUs;

  const keyOf = (n) => {
    const f = n.callFrame;
    const fn = f.functionName || '(anonymous)';
    return `${fn} ${packageOf(f.url)}${f.url && !/node_modules/.test(f.url) ? `:${f.lineNumber + 1}` : ''}`;
  };
  const byPkg = new Map();
  const byFn = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    if (idle.has(id)) continue;
    const n = byId.get(id);
    const pkg =
      n.callFrame.functionName === '(garbage collector)'
        ? '(garbage collector)'
        : packageOf(n.callFrame.url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    byFn.set(keyOf(n), (byFn.get(keyOf(n)) ?? 0) + us);
    // every distinct frame on the stack gets this sample's time once
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const rows = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = [
    `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled; shares below are of busy time`,
    'self time by package:',
    ...rows(byPkg, 20).map(([k, us]) => `  ${pct(us)}  ${k}`),
    'self time by function:',
    ...rows(byFn, top).map(([k, us]) => `  ${pct(us)}  ${k}`),
    'inclusive time of selected frames:',
    ...rows(
      new Map(
        [...inclusive].filter(([k]) =>
          /^(verify|canActivate|handle|intercept|query|startTransaction|commitTransaction|release|connect|list|toPage|serialize|stringify|JSON\.stringify|send|json|parseRow|normalizePhone|import|flush|pipeline|parse|use|next|handleRequest|validate|transform|writeHead|end|log|write|logger|onResFinished|runInAsyncScope|compression|helmet)\s/.test(
            k,
          ),
        ),
      ),
      40,
    ).map(([k, us]) => `  ${pct(us)}  ${k}`),
  ];
  return {
    text: lines.join('\n'),
    data: {
      busyMs: busy / 1000,
      byPackage: Object.fromEntries(rows(byPkg, 30).map(([k, us]) => [k, +(us / busy).toFixed(4)])),
      byFunction: Object.fromEntries(
        rows(byFn, top).map(([k, us]) => [k, +(us / busy).toFixed(4)]),
      ),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(summarise(process.argv[2], Number(process.argv[3] ?? 25)).text + '\n');
}
