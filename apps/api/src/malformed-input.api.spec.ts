import type { Client as Pg } from 'pg';
import { Account, signup } from './testing/accounts';
import { client } from './testing/http';
import { TestApp, startTestApp } from './testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from './testing/test-database';

interface Probe {
  method: string;
  path: string;
  type?: string;
  body?: string;
}

const LISTS = [
  '/api/v1/leads',
  '/api/v1/leads/export',
  '/api/v1/agents',
  '/api/v1/calls',
  '/api/v1/calls/stats',
  '/api/v1/users',
  '/api/v1/tenant/usage',
  '/api/v1/tenants',
  '/api/v1/invitations',
];
const QUERIES = [
  '?limit=abc',
  '?limit=0',
  '?limit=1e9',
  '?limit=-1',
  '?cursor=%%%',
  `?cursor=${'A'.repeat(5000)}`,
  '?limit=1&limit=2',
  '?status=new&status=lost',
  '?limit[]=1',
  `?q=${encodeURIComponent("'; DROP TABLE leads; --")}`,
  `?q=${'x'.repeat(10_000)}`,
  '?q=%00',
  '?tag=%00',
  '?from=notadate',
  '?from=2026-01-01&to=2020-01-01',
  '?agentId=zzz',
  '?__proto__[x]=1',
  '?constructor=1',
];
const WRITES = [
  '/api/v1/leads',
  '/api/v1/agents',
  '/api/v1/calls',
  '/api/v1/users',
  '/api/v1/tenant',
  '/api/v1/tenant/config',
  '/api/v1/tenant/switch',
  '/api/v1/leads/import',
  '/api/v1/auth/login',
  '/api/v1/auth/signup',
  '/api/v1/auth/forgot-password',
  '/api/v1/auth/reset-password',
  '/api/v1/auth/reset-password/check',
  '/api/v1/auth/invitation',
  '/api/v1/auth/accept-invite',
  '/api/v1/auth/decline-invite',
];
const BODIES: Array<[type: string, body: string]> = [
  ['application/json', 'null'],
  ['application/json', '[]'],
  ['application/json', '42'],
  ['application/json', '"text"'],
  ['application/json', '{"__proto__":{"polluted":1}}'],
  ['application/json', '{"constructor":{"prototype":{"polluted":1}}}'],
  ['application/json', ''],
  ['application/json', '{"a":"\\u0000"}'],
  ['application/json; charset=latin1', '{}'],
  ['application/json', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`],
  // free-form JSON fields nested deep enough to overflow a recursive check
  [
    'application/json',
    `{"phone":"+14155559555","customFields":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
  ],
  ['application/json', `{"settings":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`],
  // an ISO offset the contracts accept and PostgreSQL refuses
  ['application/json', '{"phone":"+14155559556","nextCallAt":"2026-03-01T09:30:00+23:00"}'],
  ['application/json', '{"status":"completed","endedAt":"2026-03-01T09:30:00-23:59"}'],
  ['text/plain', 'hello'],
  ['text/csv', '\uFEFFphone\n"'],
  ['multipart/form-data; boundary=a', '--a\r\n'],
  ['multipart/form-data', 'no boundary'],
  ['application/x-www-form-urlencoded', 'a=1&a=2'],
  ['application/octet-stream', '\x00\x01'],
];
const IDS = [
  'x',
  '%2F..%2F',
  "1' OR '1'='1",
  'a'.repeat(600),
  '%00',
  '..%2f..%2fetc%2fpasswd',
  '00000000-0000-4000-8000-000000000000',
];

/** Every route family with broken queries, bodies, content types and ids. */
function probes(): Probe[] {
  const all: Probe[] = [];
  for (const p of LISTS) for (const q of QUERIES) all.push({ method: 'GET', path: p + q });
  for (const p of WRITES)
    for (const method of ['POST', 'PATCH', 'PUT'])
      for (const [type, body] of BODIES) all.push({ method, path: p, type, body });
  for (const p of ['/api/v1/leads/', '/api/v1/agents/', '/api/v1/calls/', '/api/v1/users/'])
    for (const id of IDS) {
      all.push({ method: 'GET', path: p + id });
      all.push({ method: 'DELETE', path: p + id });
      all.push({ method: 'PATCH', path: p + id, type: 'application/json', body: '{}' });
    }
  for (const id of IDS) {
    for (const action of ['accept', 'decline'])
      all.push({ method: 'POST', path: `/api/v1/invitations/${id}/${action}` });
    all.push({ method: 'POST', path: `/api/v1/users/${id}/invitation/resend` });
    all.push({ method: 'DELETE', path: `/api/v1/users/${id}/invitation` });
  }
  all.push({ method: 'GET', path: '/' + 'a/'.repeat(3000) });
  return all;
}

describe('malformed input on every route family: a 4xx in the error shape, never a 5xx, nothing written', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let a: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    a = await signup(client(t.url), 'Malformed');
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it(`${probes().length} probes`, async () => {
    const counts = async () =>
      (
        await owner.query(
          `SELECT (SELECT count(*) FROM leads)::int AS leads, (SELECT count(*) FROM agents)::int AS agents,
                  (SELECT count(*) FROM calls)::int AS calls, (SELECT count(*) FROM users)::int AS users,
                  (SELECT count(*) FROM tenants)::int AS tenants,
                  (SELECT count(*) FROM invitations)::int AS invitations`,
        )
      ).rows[0];
    const before = await counts();
    const failures: string[] = [];
    for (const p of probes()) {
      let res: Response;
      let text: string;
      try {
        res = await fetch(t.url + p.path, {
          method: p.method,
          headers: {
            authorization: `Bearer ${a.token}`,
            ...(p.type ? { 'content-type': p.type } : {}),
          },
          body: p.body,
        });
        text = await res.text();
      } catch (e) {
        // e.g. an answer cut off after its 200 was sent
        failures.push(
          `${p.method} ${p.path.slice(0, 60)} ${p.type ?? ''} -> ${(e as Error).message}`,
        );
        continue;
      }
      const shaped = (() => {
        try {
          const b = JSON.parse(text);
          return b.statusCode === res.status && typeof b.error === 'string' && 'message' in b;
        } catch {
          return false;
        }
      })();
      if (res.status >= 500 || (res.status >= 400 && !shaped))
        failures.push(
          `${p.method} ${p.path.slice(0, 60)} ${p.type ?? ''} -> ${res.status} ${text.slice(0, 120)}`,
        );
    }
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
