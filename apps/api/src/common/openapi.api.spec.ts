import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, bodyOf, client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * The OpenAPI document as the running API serves it, held to what client
 * generators and API linters expect: Redocly's recommended rules with no
 * finding at all, and operation ids that read as method names.
 */
describe('the OpenAPI document at /api/docs-json', () => {
  let db: TestDatabase;
  let t: TestApp;
  let c: Client;
  interface Media {
    schema?: { $ref?: string; type?: string };
    example?: unknown;
  }
  let doc: {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId?: string;
          security?: unknown[];
          requestBody?: { content: Record<string, Media> };
        }
      >
    >;
    components: { schemas: Record<string, { example?: unknown; examples?: unknown }> };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db);
    c = client(t.url);
    doc = bodyOf(await c.get('/api/docs-json'), 200);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('passes `redocly lint` (recommended rules) with 0 errors and 0 warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const res = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'redocly'),
        ['lint', file, '--format=stylish'],
        {
          encoding: 'utf8',
          timeout: 120_000,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      const findings = `${res.stdout}\n${res.stderr}`
        .split('\n')
        .filter((l) => /\s(error|warning)\s/.test(l));
      expect(findings).toEqual([]);
      expect(res.stdout + res.stderr).toMatch(/Your API description is valid/);
      expect(res.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('names every operation like a method (listLeads, getCallStats), each once', () => {
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId ?? '(none)'),
    );
    expect(ids.filter((id) => !/^[a-z]+(?:[A-Z][a-z0-9]*)*$/.test(id))).toEqual([]);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('says `security: []` on the public operations rather than nothing', () => {
    const login = doc.paths['/api/v1/auth/login']['post'];
    expect(login.security).toEqual([]);
    expect(doc.paths['/api/v1/leads']['get'].security).toEqual([{ bearer: [] }]);
  });

  it('shows an example of every request body (JSON, and the CSV uploads as files)', () => {
    const bodies = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) =>
        op.requestBody ? [[op.operationId, op.requestBody.content] as const] : [],
      ),
    );
    expect(bodies.length).toBeGreaterThanOrEqual(31);
    const without = bodies.flatMap(([id, content]) =>
      Object.entries(content)
        .filter(([type]) => type !== 'multipart/form-data')
        .filter(([, media]) => {
          const ref = media.schema?.$ref?.split('/').pop();
          return (ref ? doc.components.schemas[ref]?.example : media.example) === undefined;
        })
        .map(([type]) => `${id} ${type}`),
    );
    expect(without).toEqual([]);
    expect(doc.paths['/api/v1/leads/import']['post'].requestBody?.content['text/csv']).toEqual({
      schema: { type: 'string' },
      example: expect.stringMatching(/^phone,/),
    });
    // OpenAPI 3.0 has no `examples` in a schema
    expect(
      Object.entries(doc.components.schemas).filter(([, s]) => s.examples !== undefined),
    ).toEqual([]);
  });
});
