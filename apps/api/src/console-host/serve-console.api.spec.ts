import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

describe('the console served by the API: SPA fallback, caching, API routes untouched', () => {
  let db: TestDatabase;
  let t: TestApp;
  let dist: string;
  const INDEX = '<!doctype html><title>console</title><script src="main-ABCD1234.js"></script>';

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'acc-console-'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'main-ABCD1234.js'), 'console.log(1);');
    writeFileSync(join(dist, 'favicon.ico'), 'icon');
    db = await createTestDatabase();
    t = await startTestApp(db, { SERVE_CONSOLE: 'true', CONSOLE_DIST: dist });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (path: string, accept = 'text/html,*/*;q=0.8') =>
    fetch(t.url + path, { headers: { accept } }).then(async (r) => ({
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      cache: r.headers.get('cache-control'),
      body: await r.text(),
    }));

  it.each([
    '/',
    '/leads',
    '/leads/6f1c2a3e-0b1d-4c5e-8f9a-0123456789ab',
    '/calls?status=completed',
  ])('a page %s -> index.html, never cached', async (path) => {
    const r = await get(path);
    expect(r).toMatchObject({ status: 200, cache: 'no-cache', body: INDEX });
    expect(r.type).toContain('text/html');
  });

  it('a hashed asset is cached for a year; another file is revalidated', async () => {
    const js = await get('/main-ABCD1234.js', '*/*');
    expect(js).toMatchObject({ status: 200, cache: 'public, max-age=31536000, immutable' });
    expect(js.type).toContain('javascript');
    expect((await get('/favicon.ico', '*/*')).cache).toBe('no-cache');
  });

  it('API, health and metrics paths never fall back to the page', async () => {
    const api = await get('/api/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await get('/health/nope')).status).toBe(404);
    expect((await get('/health')).type).toContain('application/json');
    expect((await get('/metrics')).type).toContain('text/plain');
  });

  it('a request that does not accept HTML gets a JSON 404, not the page', async () => {
    const r = await get('/leads/123', 'application/json');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ statusCode: 404 });
  });
});
