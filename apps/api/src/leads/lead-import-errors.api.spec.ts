import { randomBytes } from 'node:crypto';
import type { Client as Pg } from 'pg';
import { Account, signup } from '../testing/accounts';
import { client } from '../testing/http';
import { RawAnswer, jsonOf, rawRequest } from '../testing/raw-http';
import { cannotRunHere } from '../testing/skips';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { IMPORT_LOCK } from './leads.repository';

/**
 * Errors found while an import's body arrives are answered with their own
 * status and message, never a 500 or a reset, and nothing of the file is
 * written. Sent over a raw socket, which tells an answer from a reset.
 */
describe('lead import: every refusal has its status and message, and writes nothing', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let a: Account;

  const send = (body: Buffer | string, token = a.token, type = 'text/csv'): Promise<RawAnswer> =>
    rawRequest(t.url, {
      method: 'POST',
      path: '/api/v1/leads/import',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
  const answer = (r: RawAnswer) => ({ status: r.status, body: jsonOf(r), ended: r.ended });
  const leadCount = async (tenantId: string) =>
    (await owner.query('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [tenantId]))
      .rows[0].n;
  const rows = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `+1${prefix}${2_000_000 + i},Name ${i}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    // the wait for another import's lock ends at the statement timeout: short here
    t = await startTestApp(db, { DATABASE_STATEMENT_TIMEOUT_MS: '1500' });
    a = await signup(client(t.url), 'Refused');
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('a CSV without a phone column is a 400 naming the columns, however long the file', async () => {
    for (const n of [1, 500, 5_000]) {
      const body = ['name,email', ...rows(n, '212').map((r) => r.replace(/^\+1/, 'x'))].join('\n');
      expect(answer(await send(body))).toEqual({
        status: 400,
        body: expect.objectContaining({
          statusCode: 400,
          error: 'Bad Request',
          message: expect.stringMatching(/^the CSV header has no phone column \(expected one of: /),
        }),
        ended: 'closed',
      });
    }
    expect(await leadCount(a.tenantId)).toBe(0);
  });

  it('a binary file is a 400 saying it is not CSV text, at any size', async () => {
    for (const size of [100, 25_000, 300_000]) {
      const bytes = randomBytes(size);
      // on the first line, as in a spreadsheet's or an image's first bytes, or UTF-16 text
      bytes.set([0x50, 0x00], 0);
      expect(answer(await send(bytes))).toEqual({
        status: 400,
        body: expect.objectContaining({
          statusCode: 400,
          message:
            'the file is not CSV text: it contains NUL bytes (a binary file, or text saved as UTF-16)',
        }),
        ended: 'closed',
      });
    }
    expect(await leadCount(a.tenantId)).toBe(0);
  });

  it('another import still running: 409 with its message, however many rows are waiting', async () => {
    // an import of the same tenant holds the lock, as it does until it commits
    const holder = await connectAsOwner(db);
    try {
      await holder.query('BEGIN');
      await holder.query(IMPORT_LOCK, [a.tenantId]);
      for (const n of [10, 2_500, 9_000]) {
        const body = ['phone,first_name', ...rows(n, '313')].join('\n');
        expect(answer(await send(body))).toEqual({
          status: 409,
          body: expect.objectContaining({
            statusCode: 409,
            error: 'Conflict',
            message:
              "another import of this tenant's leads is still running: retry once it has finished",
          }),
          ended: 'closed',
        });
      }
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await leadCount(a.tenantId)).toBe(0);
    // the lock gone, the same file goes in
    const body = ['phone,first_name', ...rows(2_500, '313')].join('\n');
    expect(answer(await send(body))).toMatchObject({
      status: 200,
      body: { inserted: 2_500, updated: 0 },
    });
  });

  it('the database restarting during an import: 503, nothing written, and the next import succeeds', async () => {
    if (db.embedded) return cannotRunHere('terminating a backend (embedded database)');
    const b = await signup(client(t.url), 'Restarted');
    const body = ['phone,first_name', ...rows(6_000, '414')].join('\n');
    const holder = await connectAsOwner(db);
    let pending: Promise<RawAnswer> | undefined;
    try {
      // the import waits on the lock, mid-transaction, when the server goes away
      await holder.query('BEGIN');
      await holder.query(IMPORT_LOCK, [b.tenantId]);
      pending = send(body, b.token);
      const deadline = Date.now() + 10_000;
      let waiting = 0;
      while (waiting === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        waiting = (
          await owner.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
            [(holder as unknown as { processID: number }).processID],
          )
        ).rows[0].n;
      }
      expect(waiting).toBe(1);
      // what a restart does to every session of the API: "terminating connection due to administrator command"
      await owner.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND usename = 'acc_app'`,
      );
      expect(answer(await pending)).toEqual({
        status: 503,
        body: expect.objectContaining({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'the database is unavailable, retry shortly',
        }),
        ended: 'closed',
      });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await pending;
    }
    expect(await leadCount(b.tenantId)).toBe(0);
    expect(answer(await send(body, b.token))).toMatchObject({
      status: 200,
      body: { inserted: 6_000 },
    });
  });
});
