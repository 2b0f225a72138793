import { request as httpRequest } from 'node:http';
import { AddressInfo, Server, Socket, createServer, connect } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Client as Pg } from 'pg';
import { DatabaseService } from './database/database.service';
import { Account, signup } from './testing/accounts';
import { Client, Res, client } from './testing/http';
import { routeRules } from './testing/routes';
import { TestApp, startTestApp } from './testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from './testing/test-database';

/** The identity and platform routes, invitations included, as OpenAPI paths. */
/** Load balancers, Prometheus and the console read these; docs/operations.md documents them, not the API document. */
const OPERATIONAL = [
  '/health',
  '/api/v1/health',
  '/health/live',
  '/health/ready',
  '/metrics',
  '/config.json',
];

const DOCUMENTED: Array<[method: string, path: string, auth: boolean]> = [
  ['post', '/api/v1/auth/signup', false],
  ['post', '/api/v1/auth/login', false],
  ['post', '/api/v1/auth/forgot-password', false],
  ['post', '/api/v1/auth/reset-password', false],
  ['post', '/api/v1/auth/reset-password/check', false],
  ['get', '/api/v1/auth/me', true],
  ['get', '/api/v1/tenants', true],
  ['get', '/api/v1/tenant', true],
  ['patch', '/api/v1/tenant', true],
  ['post', '/api/v1/tenant/switch', true],
  ['get', '/api/v1/tenant/config', true],
  ['put', '/api/v1/tenant/config', true],
  ['get', '/api/v1/users', true],
  ['post', '/api/v1/users', true],
  ['patch', '/api/v1/users/{id}', true],
  ['delete', '/api/v1/users/{id}', true],
  ['post', '/api/v1/users/{id}/invitation/resend', true],
  ['delete', '/api/v1/users/{id}/invitation', true],
  ['get', '/api/v1/invitations', true],
  ['post', '/api/v1/invitations/{id}/accept', true],
  ['post', '/api/v1/invitations/{id}/decline', true],
  ['post', '/api/v1/auth/invitation', false],
  ['post', '/api/v1/auth/accept-invite', false],
  ['post', '/api/v1/auth/decline-invite', false],
];

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A raw HTTP GET (fetch would decode the body and hide the encoding). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A TCP proxy in front of PostgreSQL that the test can "unplug": close()
 * stops listening and cuts every open connection (the server is gone);
 * open() listens again on the same port (the server is back).
 */
async function startDbProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  /** hang: accept connections and never answer (a partition, a frozen server) */
  const open = async (mode: 'forward' | 'hang' = 'forward') => {
    server = createServer((downstream) => {
      if (mode === 'hang') {
        sockets.add(downstream);
        downstream.on('error', () => undefined);
        return;
      }
      const upstream = connect(target.port, target.host);
      for (const s of [downstream, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          sockets.delete(s);
          downstream.destroy();
          upstream.destroy();
        });
      }
      downstream.pipe(upstream);
      upstream.pipe(downstream);
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(port, '127.0.0.1', resolve);
    });
    port = (server.address() as AddressInfo).port;
  };
  await open();
  return {
    get port() {
      return port;
    },
    open,
    async close() {
      const closed = new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closed;
    },
  };
}

/** A fault must not turn into a hang: no answer within ms fails the test (and lets cleanup run). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A client whose GETs fail after ms instead of waiting forever. */
function bounded(c: Client, ms: number): Client {
  const get = ((path: string, token?: string, headers?: Record<string, string>) =>
    within(ms, `GET ${path}`, c.get(path, token, headers))) as Client['get'];
  return { ...c, get };
}

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('HTTP platform: health, docs, headers, CORS, compression, limits, errors, database faults', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let c: Client;
  let a: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db, { BODY_LIMIT: '16kb' });
    c = client(t.url);
    a = await signup(c, 'Platform');
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  describe('health', () => {
    it.each(['/health', '/api/v1/health'])(
      'GET %s -> 200 healthy with database details',
      async (path) => {
        const res = await c.get(path);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.body).toMatchObject({
          status: 'healthy',
          timestamp: expect.stringMatching(ISO),
          // the app was given a DATABASE_URL (even when the test server itself is PGlite)
          details: { database: { status: 'up', embedded: false } },
        });
      },
    );

    it('a trailing slash names the same route; paths are case-sensitive', async () => {
      expect((await c.get('/api/v1/tenant/', a.token)).body).toMatchObject({ id: a.tenantId });
      expect((await c.get('/health/live/')).status).toBe(200);
      expect((await c.get('/API/v1/tenant', a.token)).status).toBe(404);
    });

    it('GET /health/live -> 200 without touching the database; /health/ready -> 200 with it', async () => {
      const live = await c.get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toMatchObject({ status: 'healthy', timestamp: expect.stringMatching(ISO) });
      const ready = await c.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'healthy',
        details: { database: { status: 'up' } },
      });
    });
  });

  describe('API documentation', () => {
    it('serves Swagger UI at /api/docs', async () => {
      const res = await c.get('/api/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(String(res.body)).toMatch(/swagger-ui/i);
    });

    it('serves OpenAPI 3 at /api/docs-json with every identity route and bearer auth on the authenticated ones', async () => {
      const res = await c.get('/api/docs-json');
      expect(res.status).toBe(200);
      const doc = res.body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      const found = DOCUMENTED.map(([method, path]) => {
        const op = doc.paths?.[path]?.[method];
        const bearer = (op?.security ?? []).some((s: Record<string, unknown>) => 'bearer' in s);
        return [method, path, op ? bearer : 'missing'];
      });
      expect(found).toEqual(DOCUMENTED);
    });

    it('documents every route the application serves, with bearer auth exactly where a token is needed', async () => {
      const doc = (await c.get('/api/docs-json')).body;
      const rules = routeRules(t.app);
      const seen = rules.map((r) => {
        const op = doc.paths?.[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
        const bearer = (op?.security ?? []).some((s: Record<string, unknown>) => 'bearer' in s);
        return `${r.method} ${r.path} ${op ? (bearer ? 'bearer' : 'no-auth') : 'missing'}`;
      });
      expect(seen).toEqual(
        rules.map(
          (r) =>
            `${r.method} ${r.path} ${OPERATIONAL.includes(r.path) ? 'missing' : r.access === 'public' ? 'no-auth' : 'bearer'}`,
        ),
      );
    });

    it('writes nullable fields in OpenAPI 3.0 terms (type + nullable), never as arrays', async () => {
      const doc = (await c.get('/api/docs-json')).body;
      expect(doc.openapi).toMatch(/^3\.0\./);
      const typeLists: string[] = [];
      const walk = (node: unknown, path: string): void => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
        if (node === null || typeof node !== 'object') return;
        if (Array.isArray((node as { type?: unknown }).type)) typeLists.push(path);
        for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
      };
      walk(doc, 'doc');
      expect(typeLists).toEqual([]);
      const schemas = doc.components.schemas;
      const nullableString = { type: 'string', nullable: true };
      for (const page of ['AgentPageDto', 'LeadPageDto', 'CallPageDto', 'TenantListDto'])
        expect(schemas[page].properties.nextCursor).toEqual(nullableString);
      expect(schemas.LeadDto.properties.email).toMatchObject(nullableString);
      expect(schemas.LeadDto.properties.tags).toMatchObject({ type: 'array' });
      expect(schemas.CallDto.properties.cost).toMatchObject({ type: 'number', nullable: true });
      // inside a page's items too
      expect(schemas.LeadPageDto.properties.data.items.properties.email).toMatchObject(
        nullableString,
      );
    });
  });

  describe('headers, CORS, compression', () => {
    it('keeps every API answer out of caches (Cache-Control: no-store), errors and logins included', async () => {
      const answers = [
        await c.get('/api/v1/auth/me', a.token),
        await c.get('/api/v1/tenant/config', a.token),
        await c.get('/api/v1/leads?limit=1', a.token),
        await c.get('/api/v1/auth/me'),
        await c.post('/api/v1/auth/login', { email: a.email, password: 'not the password' }),
      ];
      expect(answers.map((r) => r.headers.get('cache-control'))).toEqual(
        answers.map(() => 'no-store'),
      );
    });

    it('sets the security headers', async () => {
      const res = await c.get('/api/v1/health');
      const h = (n: string) => res.headers.get(n) ?? '';
      expect(h('x-frame-options')).toBe('DENY');
      expect(h('x-content-type-options')).toBe('nosniff');
      expect(h('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
      expect(h('content-security-policy')).toContain("default-src 'self'");
      expect(h('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(h('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.has('x-powered-by')).toBe(false);
    });

    it('answers an allowed origin with Access-Control-Allow-Origin, another origin with none', async () => {
      const allowed = await c.get('/api/v1/health', undefined, { Origin: 'http://console.test' });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://console.test');
      const other = await c.get('/api/v1/health', undefined, { Origin: 'http://evil.test' });
      expect(other.status).toBe(200);
      expect(other.headers.has('access-control-allow-origin')).toBe(false);
    });

    it('answers a preflight from an allowed origin only', async () => {
      const preflight = (origin: string) =>
        c.call('OPTIONS', '/api/v1/auth/login', {
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type,authorization',
          },
        });
      const ok = await preflight('http://console.test');
      expect(ok.status).toBeLessThan(300);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://console.test');
      expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
      const evil = await preflight('http://evil.test');
      expect(evil.headers.has('access-control-allow-origin')).toBe(false);
    });

    it('compresses a large response when the client accepts gzip, and only then', async () => {
      const zipped = await rawGet(`${t.url}/api/docs-json`, { 'Accept-Encoding': 'gzip' });
      expect(zipped.status).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      const json = gunzipSync(zipped.body);
      expect(JSON.parse(json.toString('utf8')).openapi).toMatch(/^3\./);
      expect(zipped.body.length).toBeLessThan(json.length / 2);
      const plain = await rawGet(`${t.url}/api/docs-json`, {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(json)).toBe(true);
    });
  });

  describe('request bodies with a Content-Encoding', () => {
    const forgot = (body: Uint8Array<ArrayBuffer> | string, encoding: string) =>
      fetch(`${t.url}/api/v1/auth/forgot-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
    const json = JSON.stringify({ email: 'nobody@example.com' });

    it('reads a gzip body', async () => {
      expect((await forgot(new Uint8Array(gzipSync(json)), 'gzip')).status).toBe(202);
    });

    it.each([
      ['gzip', 'bytes that are not gzip', 400],
      ['deflate', 'bytes that are not deflate', 400],
      ['br', 'bytes that are not brotli', 400],
      ['foo', 'an unknown encoding', 415],
    ])('%s with %s: %i in the error shape, not a 500', async (encoding, _what, status) => {
      const res = await forgot(json, encoding);
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body).toMatchObject({ statusCode: status, error: expect.any(String) });
      expect(String(body.message)).not.toMatch(/internal/i);
    });
  });

  describe('metrics', () => {
    const series = (text: string, name: string, labels: string) =>
      text
        .split('\n')
        .find(
          (l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)),
        );
    const value = (line: string | undefined) => Number(line?.split(' ').pop());

    it('GET /metrics: request durations by route template, method and status; pool and business figures', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await c.get('/api/v1/tenant', a.token)).status).toBe(200);
      expect((await c.get(`/api/v1/leads/${missing}`, a.token)).status).toBe(404);
      expect((await c.get(`/no/such/${missing}`)).status).toBe(404);

      const res = await c.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = String(res.body);
      const count = (labels: string) =>
        value(series(text, 'http_request_duration_seconds_count', labels));
      expect(count('route="/api/v1/tenant",method="GET",status="200"')).toBeGreaterThanOrEqual(1);
      expect(count('route="/api/v1/leads/:id",method="GET",status="404"')).toBeGreaterThanOrEqual(
        1,
      );
      expect(count('route="unmatched",method="GET",status="404"')).toBeGreaterThanOrEqual(1);
      // labels are templates: no id, no tenant ever becomes a series
      expect(text).not.toContain(missing);
      expect(text).not.toContain(a.tenantId);
      expect(text).toContain('# TYPE http_errors_total counter');
      for (const gauge of ['db_pool_size', 'db_pool_in_use', 'db_pool_waiting', 'db_pool_max']) {
        expect(value(series(text, gauge, ''))).toBeGreaterThanOrEqual(0);
      }
      expect(value(series(text, 'db_pool_max', ''))).toBe(10);
      expect(value(series(text, 'acc_active_tenants', ''))).toBeGreaterThanOrEqual(1);
      expect(value(series(text, 'acc_active_users', ''))).toBeGreaterThanOrEqual(1);
      expect(value(series(text, 'acc_tenant_members_count', ''))).toBeGreaterThanOrEqual(1);
      expect(value(series(text, 'acc_api_calls_total', ''))).toBeGreaterThanOrEqual(2);
    });
  });

  describe('request ids', () => {
    it('echoes a sane X-Request-Id, in the header and in an error body', async () => {
      const res = await c.get('/api/v1/tenant', undefined, { 'X-Request-Id': 'trace-abc.123' });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
      expect(res.body.requestId).toBe('trace-abc.123');
    });

    it('generates one when absent (or unusable)', async () => {
      const none = await c.get('/api/v1/health');
      const bad = await c.get('/api/v1/health', undefined, { 'X-Request-Id': 'spaces and <tags>' });
      for (const res of [none, bad]) {
        expect(res.headers.get('x-request-id')).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
      }
      expect(none.headers.get('x-request-id')).not.toBe(bad.headers.get('x-request-id'));
    });
  });

  describe('bad input', () => {
    const tenantName = async () =>
      (await owner.query('SELECT name FROM tenants WHERE id = $1', [a.tenantId])).rows[0].name;

    // Refused by the body parser, before any route: still a complete answer a browser console can read.
    const expectCompleteRefusal = (res: Res, requestId: string) => {
      expect(res.body.requestId).toBe(requestId);
      expect(res.headers.get('x-request-id')).toBe(requestId);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBe('http://console.test');
    };

    it('a JSON body over BODY_LIMIT -> 413 in the error shape; the server keeps serving', async () => {
      const res = await c.call('PATCH', '/api/v1/tenant', {
        token: a.token,
        headers: {
          'content-type': 'application/json',
          Origin: 'http://console.test',
          'X-Request-Id': 'too-big-1',
        },
        raw: JSON.stringify({ name: 'x'.repeat(20 * 1024) }),
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: expect.any(String),
        requestId: 'too-big-1',
      });
      expectCompleteRefusal(res, 'too-big-1');
      expect(await tenantName()).toBe('Platform Calls');
      expect((await c.get('/api/v1/tenant', a.token)).status).toBe(200);
    });

    it('a body just under BODY_LIMIT is read (control)', async () => {
      const res = await c.call('PATCH', '/api/v1/tenant', {
        token: a.token,
        headers: { 'content-type': 'application/json' },
        raw: JSON.stringify({ name: 'Platform Calls' }) + ' '.repeat(15 * 1024),
      });
      expect(res.status).toBe(200);
    });

    it('malformed JSON -> 400 in the error shape', async () => {
      const res = await c.call('POST', '/api/v1/auth/login', {
        headers: {
          'content-type': 'application/json',
          Origin: 'http://console.test',
          'X-Request-Id': 'bad-json-1',
        },
        raw: '{"email": "a@example.com", ',
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(String),
      });
      expectCompleteRefusal(res, 'bad-json-1');
    });

    it.each([
      ['an unknown field', { name: 'Sneaky', plan: 'enterprise' }],
      ['a wrong type', { name: 12345 }],
      ['a huge string', { name: 'y'.repeat(5_000) }],
    ])('%s -> 400, nothing written', async (_case, body) => {
      const res = await c.patch('/api/v1/tenant', body, a.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const { rows } = await owner.query('SELECT name, plan FROM tenants WHERE id = $1', [
        a.tenantId,
      ]);
      expect(rows[0].name).toBe('Platform Calls');
      expect(rows[0].plan).not.toBe('enterprise');
    });

    it('a body of a type no route reads -> 415; a CSV body on a JSON route -> 400; nothing written', async () => {
      const send = (type: string, raw: string) =>
        c.call('PATCH', '/api/v1/tenant', {
          token: a.token,
          headers: { 'content-type': type },
          raw,
        });
      const xml = await send('application/xml', '<name>Renamed</name>');
      expect(xml.status).toBe(415);
      expect(xml.body).toMatchObject({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: expect.any(String),
      });
      const csv = await send('text/csv', 'name\nRenamed\n');
      expect(csv.status).toBe(400);
      expect(csv.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await tenantName()).toBe('Platform Calls');
    });

    it('a form body (what a cross-site <form> posts without a preflight) -> 415 on every JSON route, nothing written', async () => {
      const form = (method: string, path: string, raw: string) =>
        c.call(method, path, {
          token: a.token,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          raw,
        });
      const lead = await form('POST', '/api/v1/leads', 'phone=%2B14155550999');
      expect(lead.status).toBe(415);
      expect(lead.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect((await form('PATCH', '/api/v1/tenant', 'name=Renamed')).status).toBe(415);
      expect((await form('POST', '/api/v1/auth/login', 'email=a%40b.c&password=x')).status).toBe(
        415,
      );
      expect(await tenantName()).toBe('Platform Calls');
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM leads WHERE phone = '+14155550999'`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('an injection string is stored as plain text (control: the route does write)', async () => {
      const evil = "Robert'); DROP TABLE tenants; --";
      const res = await c.patch('/api/v1/tenant', { name: evil }, a.token);
      expect(res.status).toBe(200);
      expect(await tenantName()).toBe(evil);
      expect((await c.patch('/api/v1/tenant', { name: 'Platform Calls' }, a.token)).status).toBe(
        200,
      );
    });
  });

  describe('database faults', () => {
    /** The app reaching its database through a proxy the test can unplug; requests bounded to 5 s. */
    const appBehindProxy = async (poolWaitMs: number) => {
      const upstream = new URL(db.appUrl);
      const proxy = await startDbProxy({
        host: upstream.hostname,
        port: Number(upstream.port || 5432),
      });
      const viaProxy = new URL(db.appUrl);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const app = await startTestApp(db, {
        DATABASE_URL: viaProxy.toString(),
        DATABASE_POOL_WAIT_MS: String(poolWaitMs),
      });
      return { proxy, app, p: bounded(client(app.url), 5_000) };
    };

    it('database gone: /health 503 within seconds, requests fail fast with 503; back: healthy again by itself', async () => {
      const { proxy, app, p } = await appBehindProxy(1000);
      try {
        expect((await p.get('/health')).status).toBe(200);
        expect((await p.get('/api/v1/tenant', a.token)).status).toBe(200);

        await proxy.close();
        const down = Date.now();
        const health = await until(
          'health after the database went away',
          () => p.get('/health'),
          (r) => r.status === 503,
          5_000,
        );
        expect(Date.now() - down).toBeLessThan(5_000);
        expect(health.body).toMatchObject({
          status: 'unhealthy',
          timestamp: expect.stringMatching(ISO),
          details: { database: { status: 'down' } },
        });
        expect((await p.get('/health/ready')).status).toBe(503);
        expect((await p.get('/health/live')).status).toBe(200);

        const started = Date.now();
        const res = await p.get('/api/v1/tenant', a.token);
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
        expect(Date.now() - started).toBeLessThan(2_000);
        // monitoring sees the outage, and /metrics itself still answers
        const metrics = await p.get('/metrics');
        expect(metrics.status).toBe(200);
        expect(String(metrics.body)).toMatch(
          /^http_errors_total\{route="\/api\/v1\/tenant",method="GET",status="503"\} [1-9]/m,
        );

        await proxy.open();
        await until(
          'health after the database came back',
          () => p.get('/health'),
          (r) => r.status === 200,
          5_000,
        );
        expect((await p.get('/api/v1/tenant', a.token)).body).toMatchObject({ id: a.tenantId });
      } finally {
        // the proxy first: it cuts any connection attempt still hanging, so the app can close
        await proxy.close();
        await app.close();
      }
    });

    it('database frozen (connections accepted, never answered): 503 after the bounded wait, then recovery', async () => {
      const { proxy, app, p } = await appBehindProxy(500);
      try {
        expect((await p.get('/api/v1/tenant', a.token)).status).toBe(200);
        await proxy.close();
        await proxy.open('hang');

        const [health, res] = await Promise.all([
          (async () => {
            const started = Date.now();
            return { res: await p.get('/health'), took: Date.now() - started };
          })(),
          (async () => {
            const started = Date.now();
            return { res: await p.get('/api/v1/tenant', a.token), took: Date.now() - started };
          })(),
        ]);
        expect(health.res.status).toBe(503);
        expect(health.res.body).toMatchObject({ status: 'unhealthy' });
        expect(health.took).toBeLessThan(3_000);
        expect(res.res.status).toBe(503);
        expect(res.res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
        expect(res.took).toBeLessThan(2_000);

        await proxy.close();
        await proxy.open();
        await until(
          'health after the database thawed',
          () => p.get('/health'),
          (r) => r.status === 200,
          5_000,
        );
        expect((await p.get('/api/v1/tenant', a.token)).status).toBe(200);
      } finally {
        // the proxy first: it cuts any connection attempt still hanging, so the app can close
        await proxy.close();
        await app.close();
      }
    });

    it('pool exhausted: a request waits at most DATABASE_POOL_WAIT_MS, then 503; the pool recovers', async () => {
      const app = await startTestApp(db, { DATABASE_POOL_MAX: '1', DATABASE_POOL_WAIT_MS: '300' });
      const p = bounded(client(app.url), 5_000);
      try {
        expect((await p.get('/api/v1/tenant', a.token)).status).toBe(200);
        const held = await app.app.get(DatabaseService).pool.connect();
        let released = false;
        try {
          const started = Date.now();
          const res = await p.get('/api/v1/tenant', a.token);
          const took = Date.now() - started;
          expect(res.status).toBe(503);
          expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
          expect(took).toBeGreaterThanOrEqual(250);
          expect(took).toBeLessThan(1_500);
          held.release();
          released = true;
          expect((await p.get('/api/v1/tenant', a.token)).status).toBe(200);
        } finally {
          if (!released) held.release();
        }
      } finally {
        await app.close();
      }
    });
  });
});
