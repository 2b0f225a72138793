import type { Socket } from 'node:net';
import type { Client as Pg } from 'pg';
import { Account, addMember, createApiKey, signup } from '../testing/accounts';
import { Client, client } from '../testing/http';
import { jsonOf, openRaw } from '../testing/raw-http';
import { SmtpCatcher, startSmtpCatcher } from '../testing/smtp';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { Db } from '../tenancy/db.service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CSV = 'phone,first_name\n+16465550001,Ann\n+16465550002,Bob\n';

/**
 * A request that gives its connection back while it waits on its client
 * (an upload arriving, an export being read) checks its caller again in
 * every transaction it reopens: a member removed or a key revoked
 * meanwhile writes nothing more and reads nothing more.
 */
describe('a caller removed while its request waits on its client', () => {
  // ~24 MB of CSV: far more than the socket buffers hold for a client that does not read yet
  const LEADS = 20_000;
  let db: TestDatabase;
  let owner: Pg;
  let smtp: SmtpCatcher;
  let t: TestApp;
  let c: Client;
  let a: Account;
  let b: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    smtp = await startSmtpCatcher();
    t = await startTestApp(db, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      UPLOAD_MIN_BYTES_PER_SECOND: '0',
    });
    c = client(t.url);
    a = await signup(c, 'Importer');
    b = await signup(c, 'Exporter');
    await owner.query(
      `INSERT INTO leads (tenant_id, phone, first_name)
       SELECT $1, '+1646' || (2000000 + g), repeat('n', 1200) FROM generate_series(1, $2::int) g`,
      [b.tenantId, LEADS],
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await owner?.end();
    await db?.drop();
  });

  const leadsOf = async (tenantId: string) =>
    (await owner.query('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [tenantId]))
      .rows[0].n as number;

  /**
   * An upload whose first line arrives; once the guard has let the caller in
   * and the request has given its connection back to wait for the file,
   * `meanwhile` runs; then the rest arrives.
   */
  const slowUpload = async (credential: string, meanwhile: () => Promise<void>) => {
    const tx = t.app.get(Db);
    const release = tx.commitAndRelease.bind(tx);
    let released!: () => void;
    const waiting = new Promise<void>((resolve) => (released = resolve));
    const spy = jest.spyOn(tx, 'commitAndRelease').mockImplementationOnce(async () => {
      await release();
      released();
    });
    const r = openRaw(t.url, 'POST', '/api/v1/leads/import', {
      authorization: `Bearer ${credential}`,
      'content-type': 'text/csv',
      'content-length': String(Buffer.byteLength(CSV)),
    });
    const s: Socket = r.socket;
    try {
      s.write(CSV.slice(0, 17));
      await waiting;
      await meanwhile();
      s.write(CSV.slice(17));
      return await r.answer;
    } finally {
      spy.mockRestore();
      s.destroy();
    }
  };

  it('a member removed by the owner while the upload arrives: 401, no lead written', async () => {
    const m = await addMember(c, smtp, a, 'member', 'removed');
    const before = await leadsOf(a.tenantId);
    const res = await slowUpload(m.token, async () => {
      expect((await c.delete(`/api/v1/users/${m.userId}`, a.token)).status).toBe(204);
    });
    expect({ status: res.status, body: jsonOf(res) }).toEqual({
      status: 401,
      body: expect.objectContaining({ message: 'token is no longer valid' }),
    });
    expect(await leadsOf(a.tenantId)).toBe(before);
  });

  it('a member lowered to viewer while the upload arrives: 403, no lead written', async () => {
    const m = await addMember(c, smtp, a, 'member', 'lowered');
    const before = await leadsOf(a.tenantId);
    const res = await slowUpload(m.token, async () => {
      const lowered = await c.patch(`/api/v1/users/${m.userId}`, { role: 'viewer' }, a.token);
      expect(lowered.status).toBe(200);
    });
    expect({ status: res.status, body: jsonOf(res) }).toEqual({
      status: 403,
      body: expect.objectContaining({ message: 'this action needs the member role or higher' }),
    });
    expect(await leadsOf(a.tenantId)).toBe(before);
  });

  it('an API key revoked while the upload arrives: 401, no lead written', async () => {
    const key = await createApiKey(c, a, 'member');
    const before = await leadsOf(a.tenantId);
    const res = await slowUpload(key.key, async () => {
      expect((await c.delete(`/api/v1/api-keys/${key.id}`, a.token)).status).toBe(204);
    });
    expect({ status: res.status, body: jsonOf(res) }).toEqual({
      status: 401,
      body: expect.objectContaining({ message: 'invalid, revoked or expired API key' }),
    });
    expect(await leadsOf(a.tenantId)).toBe(before);
  });

  it('a valid caller whose upload arrives slowly still imports', async () => {
    const key = await createApiKey(c, a, 'member');
    await owner.query('DELETE FROM leads WHERE tenant_id = $1', [a.tenantId]);
    const byKey = await slowUpload(key.key, async () => undefined);
    expect(byKey.status).toBe(200);
    expect(await leadsOf(a.tenantId)).toBe(2);
    await owner.query('DELETE FROM leads WHERE tenant_id = $1', [a.tenantId]);
    const byPerson = await slowUpload(a.token, async () => undefined);
    expect(byPerson.status).toBe(200);
    expect(await leadsOf(a.tenantId)).toBe(2);
  });

  it('a member removed between export batches: the stream stops short and the connection ends', async () => {
    const m = await addMember(c, smtp, b, 'viewer', 'reader');
    const exp = openRaw(t.url, 'GET', '/api/v1/leads/export', {
      authorization: `Bearer ${m.token}`,
    });
    // the first batches fill the socket's buffers; the export waits for the reader
    exp.socket.pause();
    await sleep(1_000);
    expect((await c.delete(`/api/v1/users/${m.userId}`, b.token)).status).toBe(204);
    exp.socket.resume();
    const cut = await exp.answer;
    expect(cut.status).toBe(200);
    const lines = cut.body.split('\r\n').length;
    expect(lines).toBeGreaterThan(1);
    expect(lines).toBeLessThan(LEADS);
    // a valid reader gets the whole file
    const whole = await fetch(`${t.url}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${b.token}` },
    }).then((r) => r.text());
    expect(whole.trim().split('\r\n')).toHaveLength(LEADS + 1);
  }, 60_000);
});
