import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { type ApiClient, type Schema, createClient } from '@acc/api-client';
import { Account, signup } from '../testing/accounts';
import { bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

const ROOT = join(__dirname, '..', '..', '..', '..');
const LIB = join(ROOT, 'libs', 'api-client');
const SNAPSHOT = join(LIB, 'openapi.json');
const SCHEMA = join(LIB, 'src', 'schema.d.ts');
const FIX =
  'run `npm run api-client:generate` and commit libs/api-client (openapi.json, src/schema.d.ts)';
/** `npm run api-client:generate` sets it: write the snapshot instead of comparing. */
const WRITE = process.env['ACC_API_CLIENT_WRITE'] === '1';

/** What the lib's `generate` target (libs/api-client/project.json) makes of the committed snapshot. */
function generatedSchema(): string {
  const project = JSON.parse(readFileSync(join(LIB, 'project.json'), 'utf8'));
  const command: string = project.targets.generate.options.command;
  const dir = mkdtempSync(join(tmpdir(), 'acc-api-client-'));
  try {
    const out = join(dir, 'schema.d.ts');
    const res = spawnSync(command.replace(/ -o \S+/, ` -o ${out}`), {
      cwd: ROOT,
      shell: true,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env['PATH']}` },
    });
    if (res.status !== 0) throw new Error(`${command} failed: ${res.stderr}`);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The top-level entries (paths, schemas) that differ: what the failure names. */
function differences(served: Record<string, unknown>, committed: Record<string, unknown>) {
  const out: string[] = [];
  const section = (
    name: string,
    a: Record<string, unknown> = {},
    b: Record<string, unknown> = {},
  ) => {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        out.push(`${name} ${k}: ${!(k in b) ? 'new' : !(k in a) ? 'gone' : 'changed'}`);
  };
  const s = served as {
    paths?: Record<string, unknown>;
    components?: { schemas?: Record<string, unknown> };
  };
  const c = committed as typeof s;
  section('path', s.paths, c.paths);
  section('schema', s.components?.schemas, c.components?.schemas);
  section(
    'document',
    { ...served, paths: 0, components: { ...s.components, schemas: 0 } },
    {
      ...committed,
      paths: 0,
      components: { ...c.components, schemas: 0 },
    },
  );
  return out;
}

/**
 * libs/api-client is generated from a committed snapshot of the document
 * the API serves; a change to the API's contract fails here until the
 * snapshot and the client's types are regenerated (and integrators told).
 */
describe('the typed API client matches the API (libs/api-client)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let served: Record<string, unknown>;

  beforeAll(async () => {
    db = await createTestDatabase();
    // an empty APP_VERSION: the document's version is package.json's, whatever the environment says
    t = await startTestApp(db, { APP_VERSION: '' });
    served = bodyOf(await client(t.url).get('/api/docs-json'), 200);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('libs/api-client/openapi.json is the document /api/docs-json serves', () => {
    if (WRITE) writeFileSync(SNAPSHOT, JSON.stringify(served, null, 2) + '\n');
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    const diff = differences(served, committed);
    if (diff.length)
      throw new Error(`the API's OpenAPI document changed (${diff.join('; ')}): ${FIX}`);
    expect(committed).toEqual(served);
  });

  it('libs/api-client/src/schema.d.ts is generated from that snapshot', () => {
    const expected = generatedSchema();
    if (WRITE) writeFileSync(SCHEMA, expected);
    if (readFileSync(SCHEMA, 'utf8') !== expected)
      throw new Error(`libs/api-client/src/schema.d.ts is not what openapi.json generates: ${FIX}`);
  }, 120_000);
});

/**
 * What an integrator does with the client, against the real API: a key
 * made by an admin over HTTP, then leads listed, created and imported and
 * the call stats read, every answer typed from the document.
 */
describe('the typed API client against the real API', () => {
  let db: TestDatabase;
  let t: TestApp;
  let api: ApiClient;
  let admin: Account;
  let rx: Receiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    rx = await startReceiver();
    t = await startTestApp(db, FAST_WEBHOOKS);
    const c = client(t.url);
    admin = await signup(c, 'Integrator');
    const created = bodyOf(
      await c.post('/api/v1/api-keys', { name: 'CRM sync', role: 'member' }, admin.token),
      201,
    );
    api = createClient({ baseUrl: `${t.url}/`, apiKey: created.key });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await db?.drop();
  });

  it('creates a lead, imports a CSV and lists them, typed', async () => {
    const made = await api.POST('/api/v1/leads', {
      body: { phone: '+14155550123', firstName: 'Grace', status: 'new' },
    });
    expect(made.response.status).toBe(201);
    const lead: Schema<'LeadDto'> | undefined = made.data;
    expect(lead).toMatchObject({ phone: '+14155550123', firstName: 'Grace', status: 'new' });

    const imported = await api.importLeadsCsv(
      'phone,first_name,company\n+14155550124,Ada,Analytical\n+14155550123,Grace,Navy\nnot a phone,Bad,\n',
    );
    expect(imported.response.status).toBe(200);
    const result: Schema<'ImportResultDto'> | undefined = imported.data;
    expect(result).toMatchObject({ inserted: 1, updated: 1 });
    expect(result?.rejected.map((r) => r.line)).toEqual([4]);

    const page = await api.GET('/api/v1/leads', { params: { query: { limit: 10 } } });
    expect(page.response.status).toBe(200);
    const phones = (page.data?.data ?? []).map((l) => l.phone).sort();
    expect(phones).toEqual(['+14155550123', '+14155550124']);
    expect(page.data?.nextCursor).toBeNull();

    const found = await api.GET('/api/v1/leads', { params: { query: { q: 'Analytical' } } });
    expect(found.data?.data.map((l) => l.company)).toEqual(['Analytical']);
  });

  it('reads the call stats, typed', async () => {
    const stats = await api.GET('/api/v1/calls/stats', {
      params: { query: { from: '2026-01-01', to: '2026-01-31' } },
    });
    expect(stats.response.status).toBe(200);
    const totals: Schema<'CallStatsDto'>['totals'] | undefined = stats.data?.totals;
    expect(totals).toMatchObject({ calls: 0, connected: 0 });
  });

  it("answers errors in the document's error shape", async () => {
    const missing = await api.GET('/api/v1/leads/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    const error: Schema<'ApiErrorDto'> | undefined = missing.error;
    expect(error).toMatchObject({ statusCode: 404 });

    const stranger = createClient({ baseUrl: t.url, apiKey: `acc_${'A'.repeat(43)}` });
    const refused = await stranger.GET('/api/v1/leads');
    expect(refused.response.status).toBe(401);
    expect(refused.data).toBeUndefined();
  });

  it('a key stays off the people-only routes (403), as the document says', async () => {
    const res = await api.GET('/api/v1/api-keys');
    expect(res.response.status).toBe(403);
    expect(res.error?.message).toMatch(/person/);
  });

  it("a webhook made with an admin's sign-in token delivers signed events a receiver verifies", async () => {
    // webhook endpoints are people's business: the same client with a sign-in token
    const person = createClient({ baseUrl: t.url, apiKey: admin.token });
    const made = await person.POST('/api/v1/webhooks', {
      body: { url: rx.url('/crm'), events: ['lead.created'], description: 'CRM sync' },
    });
    expect(made.response.status).toBe(201);
    const secret = made.data?.secret ?? '';
    expect(secret).toMatch(/^whsec_/);
    rx.expect('/crm', secret);
    // ...and an API key cannot touch them, as the document says
    const byKey = await api.GET('/api/v1/webhooks');
    expect(byKey.response.status).toBe(403);

    const lead = await api.POST('/api/v1/leads', { body: { phone: '+14155550125' } });
    expect(lead.response.status).toBe(201);
    const [hit] = await rx.waitFor((r) => r.path === '/crm' && r.raw.includes('+14155550125'));
    expect(hit.verified).toMatchObject({
      type: 'lead.created',
      data: { id: lead.data?.id, phone: '+14155550125' },
    });
    // a body changed on the way does not verify
    expect(() =>
      new Webhook(secret).verify(
        hit.raw.replace('0125', '0126'),
        hit.headers as Record<string, string>,
      ),
    ).toThrow();
  });
});
