// Charges a V8 .cpuprofile (node --cpu-prof) to the layers a leads request
// passes through, in microseconds per request: each sample goes to the
// innermost frame of its stack that belongs to a layer (a package, a node
// core area, or a source file of the API found through the build's source
// maps), so a native leaf (writev, JSON.stringify) counts for its caller.
// Boot (every sample before the first request) and logins (argon2) are left out; the rest is scaled
// to the server CPU per request measured in the same run.
// Usage: node scripts/bench/layers.mjs file.cpuprofile US_PER_REQ [dist dir]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages, by name, to the layer they make up. */
const PACKAGES = [
  [
    /^(jws|jwa|jsonwebtoken|passport|passport-jwt|passport-strategy|@nestjs\/passport|buffer-equal-constant-time|ecdsa-sig-formatter|safe-buffer|semver|ms|lodash\..*)$/,
    'passport + JWT verification',
  ],
  [/^typeorm$/, 'TypeORM query runner'],
  [
    /^(pg|pg-protocol|pg-pool|pg-types|postgres-array|postgres-date|postgres-interval|postgres-bytea|pg-connection-string|pgpass)$/,
    'pg driver (protocol, rows, parsers)',
  ],
  [/^(zod|nestjs-zod)$/, 'validation (zod pipe)'],
  [
    /^(pino|pino-http|nestjs-pino|sonic-boom|fast-redact|pino-std-serializers|on-exit-leak-free|thread-stream|quick-format-unescaped|atomic-sleep|safe-stable-stringify)$/,
    'pino-http logging',
  ],
  [/^(prom-client|tdigest|bintrees)$/, 'metrics (prom-client)'],
  [/^helmet$/, 'helmet headers'],
  [
    /^(@fastify\/compress|mnemonist|minipass|pumpify|peek-stream|duplexify|through2|readable-stream)$/,
    'compression hook',
  ],
  [
    /^(@fastify\/cors|@fastify\/middie|path-to-regexp|reusify|fastq|@fastify\/formbody|vary)$/,
    'CORS + middie',
  ],
  [
    /^(@nestjs\/core|@nestjs\/common|@nestjs\/platform-fastify|rxjs|tslib|reflect-metadata|iterare|uid|fast-safe-stringify)$/,
    'Nest core (router, guard/pipe/interceptor chain, rxjs)',
  ],
  [
    /^(fastify|find-my-way|light-my-request|avvio|@fastify\/.*|fast-json-stringify|fast-querystring|fast-uri|toad-cache|process-warning|abstract-logging|secure-json-parse|content-type|fast-content-type-parse|ret|safe-regex2|rfdc)$/,
    'Fastify (routing, hooks, reply)',
  ],
  [/^(argon2|@phc\/format|node-gyp-build)$/, '(logins)'],
];

/** API source files (from the source maps) to their layer. */
const SOURCES = [
  [/tenancy\/(db\.service|request-context|tenant-share)\.ts$/, 'tenant transaction (Db)'],
  [/tenancy\/transaction\.interceptor\.ts$/, 'transaction interceptor'],
  [/tenancy\/request-scope\.ts$/, 'request scope hooks (AsyncLocalStorage)'],
  [/access\//, 'auth guard (own code)'],
  [/usage\//, 'usage counting'],
  [/metrics\//, 'metrics (prom-client)'],
  [/logging\.ts$/, 'pino-http logging'],
  [/common\/exception\.filter\.ts$/, 'exception filter'],
  [/database\/pg-types\.ts$/, 'pg driver (protocol, rows, parsers)'],
  [/(leads|common)\//, 'leads handler, SQL, page (own code)'],
  [/app\.factory\.ts$|server\.ts$/, 'app hooks (headers, form check)'],
];

/** Node core areas. */
const CORE = [
  [
    /^node:(internal\/)?async_hooks|internal\/async_local_storage|internal\/promise_hooks/,
    'AsyncLocalStorage + async hooks',
  ],
  [
    /^node:(net|_http_\w+|http|stream|internal\/streams\/|internal\/stream_base_commons|internal\/http|internal\/net)/,
    'HTTP + sockets (node core, kernel)',
  ],
  [/^node:(internal\/modules|internal\/vm|vm|fs|internal\/fs)/, '(boot)'],
];

function packageOf(url) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m ? m[1] : undefined;
}

export function layersOf(file, distDir) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const maps = new Map();
  const mapOf = (url) => {
    const path = url.replace(/^file:\/\//, '');
    if (!maps.has(path)) {
      const candidates = [`${path}.map`, distDir ? join(distDir, `${basename(path)}.map`) : ''];
      const found = candidates.find((p) => p && existsSync(p));
      maps.set(path, found ? new SourceMap(JSON.parse(readFileSync(found, 'utf8'))) : null);
    }
    return maps.get(path);
  };
  const frameLayer = new Map();
  const layerOfFrame = (n) => {
    if (frameLayer.has(n.id)) return frameLayer.get(n.id);
    const f = n.callFrame;
    let layer;
    if (f.functionName === '(garbage collector)') layer = 'garbage collection (allocations)';
    else if (['(idle)', '(program)'].includes(f.functionName)) layer = '(idle)';
    else if (f.url) {
      const pkg = packageOf(f.url);
      // JSON.stringify of the answer runs inside these two (a builtin has no frame of its own)
      if (
        (pkg === 'fastify' && f.functionName === 'serialize') ||
        (/bare-server\.mjs$/.test(f.url) && f.functionName === 'send')
      )
        layer = 'response serialisation (JSON.stringify)';
      else if (pkg) layer = PACKAGES.find(([re]) => re.test(pkg))?.[1] ?? `other package: ${pkg}`;
      else if (f.url.startsWith('node:')) layer = CORE.find(([re]) => re.test(f.url))?.[1];
      else if (/bare-server\.mjs$/.test(f.url)) layer = 'bare server (its own code)';
      else if (/dist\/apps\/api\/|api-baseline/.test(f.url)) {
        const src = mapOf(f.url)?.findEntry(f.lineNumber, f.columnNumber)?.originalSource ?? '';
        layer = SOURCES.find(([re]) => re.test(src))?.[1] ?? 'API own code (other)';
      }
    }
    frameLayer.set(n.id, layer);
    return layer;
  };
  // boot is everything before the first HTTP request arrives
  const servesHttp = (id) => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur))
      if (byId.get(cur).callFrame.functionName === 'parserOnIncoming') return true;
    return false;
  };
  const firstRequest = Math.max(0, prof.samples.findIndex(servesHttp));
  const us = new Map();
  prof.samples.forEach((id, i) => {
    if (i < firstRequest) return;
    let layer;
    for (let cur = id; cur !== undefined && !layer; cur = parent.get(cur))
      layer = layerOfFrame(byId.get(cur));
    layer ??= 'node core and V8 (other)';
    us.set(layer, (us.get(layer) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  for (const k of ['(idle)', '(boot)', '(logins)']) us.delete(k);
  const busy = [...us.values()].reduce((a, b) => a + b, 0);
  return new Map([...us].map(([k, v]) => [k, v / busy]).sort((a, b) => b[1] - a[1]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, perReq, dist] = process.argv.slice(2);
  const shares = layersOf(
    file,
    dist ?? join(dirname(fileURLToPath(import.meta.url)), '../../dist/apps/api'),
  );
  for (const [layer, share] of shares)
    process.stdout.write(
      `${(100 * share).toFixed(1).padStart(5)}%  ${
        perReq
          ? `${Math.round(share * Number(perReq))
              .toString()
              .padStart(5)} us/req  `
          : ''
      }${layer}\n`,
    );
}
