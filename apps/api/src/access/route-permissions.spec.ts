import { client } from '../testing/http';
import { RouteRule, routeRules } from '../testing/routes';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';

describe('who may call what: every route of the application', () => {
  let db: TestDatabase;
  let t: TestApp;
  let rules: RouteRule[];

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db);
    rules = routeRules(t.app);
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  /** `people only`: an API key gets 403 whatever its role (@PeopleOnly()). */
  const line = (r: RouteRule) =>
    `${r.method} ${r.path} ${r.access}${r.peopleOnly ? ', people only' : ''}`;

  // A change here is a change in who may call what: review it, then `nx test api -u`.
  it('matches the reviewed snapshot', () => {
    expect(rules.map(line).join('\n')).toMatchSnapshot();
  });

  it('finds the routes (guards the discovery itself)', () => {
    const lines = rules.map(line);
    expect(lines).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login public',
        'GET /health public',
        'GET /api/v1/users viewer',
        'DELETE /api/v1/users/:id admin, people only',
        'GET /api/v1/leads viewer',
      ]),
    );
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('every non-public route answers 401 without a token', async () => {
    const c = client(t.url);
    const guarded = rules.filter((r) => r.access !== 'public');
    expect(guarded.length).toBeGreaterThan(5);
    const answers = await Promise.all(
      guarded.map(async (r) => {
        const path = r.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
        const res = await c.call(r.method, path, {
          body: ['GET', 'DELETE'].includes(r.method) ? undefined : {},
        });
        return `${r.method} ${r.path} ${res.status}`;
      }),
    );
    expect(answers).toEqual(guarded.map((r) => `${r.method} ${r.path} 401`));
  });
});
