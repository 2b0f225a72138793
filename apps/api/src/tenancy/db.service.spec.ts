import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { Db, MissingScopeError } from './db.service';
import { type RequestStore, requestContext } from './request-context';

/**
 * The guard clause of the one tenant transaction: without a scope nothing
 * reaches the database. A stub stands in for the pool so that any attempt
 * to open a connection is seen (a unit test of the clause, no database).
 */
function stubDatabase(
  answers: {
    /** what app_begin_key finds (none: no such key) */
    key?: Record<string, unknown>;
    /** what other statements answer (pg's result) */
    result?: { rows?: unknown; rowCount?: number | null };
    /** a statement containing this text fails */
    failOn?: string;
  } = {},
) {
  /** the statements between the transaction's START TRANSACTION and its end */
  const statements: Array<{ sql: string; params?: unknown[] }> = [];
  /** what ends or starts the transaction on the connection (a rejection: that statement fails) */
  const wire = {
    begin: jest.fn(async () => undefined),
    commit: jest.fn(async () => undefined),
    rollback: jest.fn(async () => undefined),
  };
  const answer = async (sql: string, params?: unknown[]) => {
    if (sql === 'START TRANSACTION') return wire.begin();
    if (sql === 'COMMIT') return wire.commit();
    if (sql === 'ROLLBACK') return wire.rollback();
    statements.push({ sql, params });
    if (answers.failOn && sql.includes(answers.failOn)) throw new Error(`failed: ${sql}`);
    if (sql.includes('app_begin_key')) return { rows: answers.key ? [answers.key] : [] };
    if (sql.includes('app_begin'))
      return {
        rows: [{ m_role: 'admin', m_status: 'active', m_token_version: 3, m_user_active: true }],
      };
    if (sql.includes('set_config')) return { rows: [] };
    return answers.result ?? { rows: [{ ok: 1 }], rowCount: 1 };
  };
  // pg's callback form, which Db uses
  const client = {
    query: jest.fn(
      (
        sql: string,
        params: unknown[] | undefined,
        done: (e: Error | null, r?: unknown) => void,
      ) => {
        answer(sql, params).then(
          (r) => done(null, r),
          (e: Error) => done(e),
        );
      },
    ),
  };
  const runner = {
    isTransactionActive: false,
    isReleased: false,
    manager: { the: 'transaction manager' },
    connect: jest.fn(async () => client),
    release: jest.fn(async () => {
      runner.isReleased = true;
    }),
  };
  // one runner stands for each new one TypeORM would make: not yet released
  const createQueryRunner = jest.fn((_mode: 'master' | 'slave') => {
    runner.isReleased = false;
    return runner;
  });
  const logger = { logQuery: jest.fn(), logQueryError: jest.fn() };
  const database = {
    dataSource: { createQueryRunner, logger },
    switchRole: 'acc_app',
    statementTimeoutMs: 1234,
    idleInTransactionTimeoutMs: 567,
    tenantPoolMax: 2,
    poolConnections: 10,
    poolWaitMs: 1000,
  } as unknown as DatabaseService;
  return { database, createQueryRunner, runner, client, wire, logger, statements };
}

describe('Db: no scope, no query', () => {
  it.each([
    ['query', (db: Db) => db.query('SELECT * FROM agents')],
    ['execute', (db: Db) => db.execute('DELETE FROM agents')],
    ['begin', (db: Db) => db.begin({ tenantId: 'a' })],
  ])(
    '%s outside any request or transaction throws MissingScopeError without touching the pool',
    async (_name, call) => {
      const { database, createQueryRunner } = stubDatabase();
      const db = new Db(database);
      await expect(call(db)).rejects.toBeInstanceOf(MissingScopeError);
      expect(createQueryRunner).not.toHaveBeenCalled();
    },
  );

  it('tenantId() and userId() throw outside a scope', () => {
    const db = new Db(stubDatabase().database);
    expect(() => db.tenantId()).toThrow(MissingScopeError);
    expect(() => db.userId()).toThrow(MissingScopeError);
  });

  it('inside a request whose guard set no scope (a public route), a query still throws', async () => {
    const { database, createQueryRunner } = stubDatabase();
    const db = new Db(database);
    await requestContext.run({ requestId: 'r1' }, async () => {
      await expect(db.query('SELECT * FROM leads')).rejects.toBeInstanceOf(MissingScopeError);
      expect(() => db.tenantId()).toThrow(MissingScopeError);
    });
    expect(createQueryRunner).not.toHaveBeenCalled();
  });

  it('an empty scope is no scope: the transaction refuses to open', async () => {
    const { database, createQueryRunner } = stubDatabase();
    const db = new Db(database);
    await expect(db.transaction({}, () => db.query('SELECT 1'))).rejects.toBeInstanceOf(
      MissingScopeError,
    );
    expect(createQueryRunner).not.toHaveBeenCalled();
  });

  it('a closure made inside a transaction carries no scope when called outside it', async () => {
    const { database, createQueryRunner } = stubDatabase();
    const db = new Db(database);
    let later: (() => Promise<unknown>) | undefined;
    await db.transaction({ tenantId: 't-1' }, async () => {
      later = () => db.query('SELECT 1');
    });
    expect(createQueryRunner).not.toHaveBeenCalled();
    await expect((later as () => Promise<unknown>)()).rejects.toBeInstanceOf(MissingScopeError);
    expect(createQueryRunner).not.toHaveBeenCalled();
  });
});

describe('Db: a scoped transaction (control)', () => {
  it('opens one transaction whose first statement sets the tenant, runs the queries in it, commits and releases', async () => {
    const { database, createQueryRunner, runner, wire, statements } = stubDatabase();
    const db = new Db(database);
    const rows = await db.transaction({ tenantId: 'tenant-a', userId: 'user-1' }, async () => {
      expect(db.tenantId()).toBe('tenant-a');
      await db.query('SELECT 1');
      return db.query('SELECT 2');
    });
    expect(rows).toEqual([{ ok: 1 }]);
    expect(createQueryRunner).toHaveBeenCalledTimes(1);
    expect(statements.map((s) => s.sql)).toEqual([
      'SELECT * FROM app_begin($1, $2, $3, $4, $5)',
      'SELECT 1',
      'SELECT 2',
    ]);
    expect(statements[0].params).toEqual(['tenant-a', 'user-1', 'acc_app', 1234, 567]);
    expect(wire.begin).toHaveBeenCalledTimes(1);
    expect(wire.commit).toHaveBeenCalledTimes(1);
    expect(wire.rollback).not.toHaveBeenCalled();
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('rolls back and releases when the work throws', async () => {
    const { database, runner, wire } = stubDatabase();
    const db = new Db(database);
    await expect(
      db.transaction({ tenantId: 'tenant-a' }, async () => {
        await db.query('UPDATE agents SET name = $1', ['x']);
        throw new Error('halfway');
      }),
    ).rejects.toThrow('halfway');
    expect(wire.rollback).toHaveBeenCalledTimes(1);
    expect(wire.commit).not.toHaveBeenCalled();
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('begin() returns the membership read by the first statement', async () => {
    const { database } = stubDatabase();
    const db = new Db(database);
    await requestContext.run({}, async () => {
      await expect(db.begin({ tenantId: 't', userId: 'u' })).resolves.toEqual({
        role: 'admin',
        status: 'active',
        tokenVersion: 3,
        userActive: true,
      });
      await db.finish(true);
    });
  });
});

/** Runs fn inside a request (as the request-scope middleware does), with its store. */
const inRequest = <T>(fn: (store: RequestStore) => Promise<T>) => {
  const store: RequestStore = {};
  return requestContext.run(store, () => fn(store));
};

describe('Db: what each step refuses, and says', () => {
  it('names what was attempted without a scope', async () => {
    const db = new Db(stubDatabase().database);
    const outside = 'outside a tenant transaction scope';
    await expect(db.begin({ tenantId: 't' })).rejects.toThrow(`begin ${outside}`);
    await expect(db.beginWithApiKey(Buffer.alloc(32))).rejects.toThrow(`begin ${outside}`);
    await expect(db.query('SELECT 1')).rejects.toThrow(`query ${outside}`);
    await expect(db.manager()).rejects.toThrow(`query ${outside}`);
    expect(() => db.tenantId()).toThrow(`tenant data access ${outside}`);
    expect(() => db.userId()).toThrow(`user data access ${outside}`);
    await expect(db.transaction({}, async () => db.query('SELECT 1'))).rejects.toThrow(
      `transaction ${outside}`,
    );
  });

  it('inside a request with no scope yet: the same refusals, never a TypeError', async () => {
    const db = new Db(stubDatabase().database);
    await inRequest(async () => {
      expect(() => db.userId()).toThrow(MissingScopeError);
      await expect(db.manager()).rejects.toThrow(MissingScopeError);
    });
  });

  it('opens no second transaction after the first ended (a late promise of a finished request)', async () => {
    const { database, createQueryRunner } = stubDatabase();
    const db = new Db(database);
    await inRequest(async () => {
      await db.begin({ tenantId: 't' });
      await db.finish(true);
      await expect(db.query('SELECT 1')).rejects.toThrow(
        'query after the transaction ended outside a tenant transaction scope',
      );
    });
    expect(createQueryRunner).toHaveBeenCalledTimes(1);
  });

  it('finish() outside any request, or with nothing open, does nothing', async () => {
    const { database, runner } = stubDatabase();
    const db = new Db(database);
    await expect(db.finish(true)).resolves.toBeUndefined();
    await inRequest(() => db.finish(false));
    expect(runner.release).not.toHaveBeenCalled();
  });
});

describe('Db: the transaction it opens', () => {
  it('runs on a read replica only when asked to, with true', async () => {
    for (const [opts, mode] of [
      [{ readReplica: true }, 'slave'],
      [{}, 'master'],
      [{ readReplica: 'yes' as unknown as boolean }, 'master'],
    ] as const) {
      const { database, createQueryRunner } = stubDatabase();
      const db = new Db(database);
      await inRequest(async () => {
        await db.begin({ tenantId: 't' }, opts);
        await db.query('SELECT 1');
        await db.finish(true);
      });
      expect(createQueryRunner.mock.calls).toEqual([[mode]]);
    }
  });

  it('passes the statement and its parameters (none by default)', async () => {
    const { database, client } = stubDatabase();
    const db = new Db(database);
    await db.transaction({ tenantId: 't' }, async () => {
      await db.query('SELECT 1');
      await db.execute('SELECT $1', [2]);
      await db.execute('SELECT 3');
    });
    const sent = client.query.mock.calls.map(([sql, params]) => [sql, params]);
    expect(sent).toContainEqual(['SELECT 1', []]);
    expect(sent).toContainEqual(['SELECT 3', []]);
    expect(sent).toContainEqual(['SELECT $1', [2]]);
  });

  it.each([
    ['the rows affected', { rows: [{ id: 1 }], rowCount: 5 }, { rows: [{ id: 1 }], rowCount: 5 }],
    [
      'else the rows returned',
      { rows: [{ id: 1 }, { id: 2 }], rowCount: null },
      { rows: [{ id: 1 }, { id: 2 }], rowCount: 2 },
    ],
    [
      'no rows when the statement returns none',
      { rows: undefined, rowCount: 3 },
      { rows: [], rowCount: 3 },
    ],
  ])('execute() counts %s', async (_name, result, expected) => {
    const db = new Db(stubDatabase({ result }).database);
    await db.transaction({ tenantId: 't' }, async () => {
      expect(await db.execute('UPDATE leads SET x = 1')).toEqual(expected);
    });
  });

  it("gives the ORM the transaction's own manager, and the scope's user", async () => {
    const { database, runner } = stubDatabase();
    const db = new Db(database);
    await db.transaction({ tenantId: 't', userId: 'u-1' }, async () => {
      expect(await db.manager()).toBe(runner.manager);
      expect(db.userId()).toBe('u-1');
    });
  });

  it("while it is open its runner says so (TypeORM's persistence then opens none of its own)", async () => {
    const { database, runner, wire } = stubDatabase();
    const db = new Db(database);
    await db.transaction({ tenantId: 't' }, async () => {
      await db.query('SELECT 1');
      expect(runner.isTransactionActive).toBe(true);
    });
    expect(wire.commit).toHaveBeenCalledTimes(1);
    expect(runner.isTransactionActive).toBe(false);
  });

  it("shows every statement to TypeORM's logger, and a failure as its QueryFailedError", async () => {
    const { database, logger, runner } = stubDatabase({ failOn: 'boom' });
    const db = new Db(database);
    const failed = await db
      .transaction({ tenantId: 't' }, async () => {
        await db.query('SELECT 1');
        await db.query('SELECT boom', [7]);
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect((failed as QueryFailedError).driverError.message).toBe('failed: SELECT boom');
    expect((failed as QueryFailedError).parameters).toEqual([7]);
    expect(logger.logQuery.mock.calls.map(([sql]) => sql)).toEqual([
      'START TRANSACTION',
      'SELECT * FROM app_begin($1, $2, $3, $4, $5)',
      'SELECT 1',
      'SELECT boom',
      'ROLLBACK',
    ]);
    expect(logger.logQuery.mock.calls[3]).toEqual(['SELECT boom', [7], runner]);
    expect(logger.logQueryError).toHaveBeenCalledTimes(1);
  });

  it('refuses a statement once TypeORM released the runner under it (its connection failed)', async () => {
    const { database, runner, client } = stubDatabase();
    const db = new Db(database);
    await expect(
      db.transaction({ tenantId: 't' }, async () => {
        await db.query('SELECT 1');
        runner.isReleased = true;
        await db.query('SELECT 2');
      }),
    ).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    expect(client.query.mock.calls.map(([sql]) => sql)).not.toContain('SELECT 2');
  });

  it('sets the host a domain lookup needs, in the transaction', async () => {
    const { database, statements } = stubDatabase();
    const db = new Db(database);
    await db.transaction({ host: 'acme.example.com' }, () => db.query('SELECT 1'));
    expect(statements.slice(0, 2)).toEqual([
      {
        sql: 'SELECT * FROM app_begin($1, $2, $3, $4, $5)',
        params: [null, null, 'acc_app', 1234, 567],
      },
      { sql: `SELECT set_config('app.host', $1, true)`, params: ['acme.example.com'] },
    ]);
  });

  it('does not roll back a transaction the server already ended, and still releases', async () => {
    const { database, runner, wire } = stubDatabase();
    const db = new Db(database);
    await expect(
      db.transaction({ tenantId: 't' }, async () => {
        await db.query('SELECT 1');
        runner.isTransactionActive = false;
        throw new Error('after the server aborted');
      }),
    ).rejects.toThrow('after the server aborted');
    expect(wire.rollback).not.toHaveBeenCalled();
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('a failed commit is rolled back, released and reported', async () => {
    const { database, runner, wire } = stubDatabase();
    wire.commit.mockRejectedValueOnce(new Error('serialization failure'));
    const db = new Db(database);
    await expect(db.transaction({ tenantId: 't' }, () => db.query('SELECT 1'))).rejects.toThrow(
      'serialization failure',
    );
    expect(wire.rollback).toHaveBeenCalledTimes(1);
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('a failed rollback is swallowed (the connection is released all the same)', async () => {
    const { database, runner, wire } = stubDatabase();
    wire.rollback.mockRejectedValueOnce(new Error('connection lost'));
    const db = new Db(database);
    await expect(
      db.transaction({ tenantId: 't' }, async () => {
        await db.query('SELECT 1');
        throw new Error('halfway');
      }),
    ).rejects.toThrow('halfway');
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('when its first statement fails, rolls back, releases, and the request sees the error', async () => {
    const { database, runner, wire } = stubDatabase({ failOn: 'app_begin' });
    const db = new Db(database);
    await expect(db.transaction({ tenantId: 't' }, () => db.query('SELECT 1'))).rejects.toThrow(
      'failed: SELECT * FROM app_begin',
    );
    expect(wire.rollback).toHaveBeenCalledTimes(1);
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('when it cannot even start, releases without a rollback', async () => {
    const { database, runner, wire } = stubDatabase();
    runner.connect.mockRejectedValueOnce(new Error('pool timeout'));
    const db = new Db(database);
    await expect(db.transaction({ tenantId: 't' }, () => db.query('SELECT 1'))).rejects.toThrow(
      'pool timeout',
    );
    expect(wire.begin).not.toHaveBeenCalled();
    expect(wire.rollback).not.toHaveBeenCalled();
    expect(runner.release).toHaveBeenCalledTimes(1);
  });
});

describe('Db: an API key', () => {
  const hash = Buffer.alloc(32, 7);

  it("finds the key in the transaction's first statement and makes its tenant the scope", async () => {
    const { database, createQueryRunner, statements } = stubDatabase({
      key: { k_tenant_id: 't-key', k_id: 'key-1', k_role: 'member' },
    });
    const db = new Db(database);
    await inRequest(async (store) => {
      await expect(db.beginWithApiKey(hash, { readReplica: true })).resolves.toEqual({
        tenantId: 't-key',
        keyId: 'key-1',
        role: 'member',
      });
      expect(store.scope).toEqual({ tenantId: 't-key' });
      expect(db.tenantId()).toBe('t-key');
      await db.query('SELECT 1');
      await db.finish(true);
    });
    expect(createQueryRunner.mock.calls).toEqual([['slave']]);
    expect(statements.map((s) => s.sql)).toEqual([
      'SELECT * FROM app_begin_key($1, $2, $3, $4)',
      'SELECT 1',
    ]);
    expect(statements[0].params).toEqual([hash, 'acc_app', 1234, 567]);
  });

  it("once its tenant is known, a key's transaction queues on that tenant's share before it takes a connection", async () => {
    const { database, createQueryRunner } = stubDatabase({
      key: { k_tenant_id: 't-key', k_id: 'key-1', k_role: 'member' },
    });
    const db = new Db(database);
    await inRequest(async () => {
      await db.beginWithApiKey(hash);
      await db.finish(true);
    });
    // the tenant's people hold its whole share (2)
    const held = await Promise.all([
      db.tenantShare.acquire('t-key'),
      db.tenantShare.acquire('t-key'),
    ]);
    expect(db.tenantShare.stats()).toEqual({ tenantsAtShare: 1, waiting: 0 });
    let began = false;
    const second = inRequest(async () => {
      await db.beginWithApiKey(hash);
      began = true;
      await db.finish(true);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(began).toBe(false);
    expect(createQueryRunner).toHaveBeenCalledTimes(1);
    expect(db.tenantShare.stats()).toEqual({ tenantsAtShare: 1, waiting: 1 });
    held[0].release();
    await second;
    expect(began).toBe(true);
    expect(createQueryRunner).toHaveBeenCalledTimes(2);
    held[1].release();
    expect(db.tenantShare.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
  });

  it('a known key found no more (revoked) gives back the share it queued on, and is not queued again', async () => {
    const answers: { key?: Record<string, unknown> } = {
      key: { k_tenant_id: 't-key', k_id: 'key-1', k_role: 'member' },
    };
    const { database } = stubDatabase(answers);
    const db = new Db(database);
    await inRequest(async () => {
      await db.beginWithApiKey(hash);
      await db.finish(true);
    });
    answers.key = undefined;
    await inRequest(async () => {
      await expect(db.beginWithApiKey(hash)).resolves.toBeNull();
      await db.finish(false);
    });
    // the whole share is free again, and the next attempt queues on no tenant's
    const held = await Promise.all([
      db.tenantShare.acquire('t-key'),
      db.tenantShare.acquire('t-key'),
    ]);
    expect(db.tenantShare.stats()).toEqual({ tenantsAtShare: 1, waiting: 0 });
    await inRequest(async () => {
      await expect(db.beginWithApiKey(hash)).resolves.toBeNull();
      await db.finish(false);
    });
    held.forEach((slot) => slot.release());
  });

  it('remembers the tenants of the last 10,000 keys only', async () => {
    const { database, createQueryRunner } = stubDatabase({
      key: { k_tenant_id: 't-key', k_id: 'key-1', k_role: 'member' },
    });
    const db = new Db(database);
    const keyNo = (i: number) => {
      const h = Buffer.alloc(32);
      h.writeUInt32BE(i);
      return h;
    };
    for (let i = 0; i <= 10_000; i++) {
      await inRequest(async () => {
        await db.beginWithApiKey(keyNo(i));
        await db.finish(true);
      });
    }
    const held = await Promise.all([
      db.tenantShare.acquire('t-key'),
      db.tenantShare.acquire('t-key'),
    ]);
    // the first key was forgotten: it opens at once, as an unknown key does
    await inRequest(async () => {
      await expect(db.beginWithApiKey(keyNo(0))).resolves.toMatchObject({ tenantId: 't-key' });
      await db.finish(true);
    });
    expect(createQueryRunner).toHaveBeenCalledTimes(10_002);
    // the last one is still known: it waits for the tenant's share
    let began = false;
    const last = inRequest(async () => {
      await db.beginWithApiKey(keyNo(10_000));
      began = true;
      await db.finish(true);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(began).toBe(false);
    held.forEach((slot) => slot.release());
    await last;
  });

  it('answers null for an unknown key, and leaves no tenant in scope', async () => {
    const { database, createQueryRunner } = stubDatabase();
    const db = new Db(database);
    await inRequest(async (store) => {
      await expect(db.beginWithApiKey(hash)).resolves.toBeNull();
      expect(store.scope).toEqual({ apiKeyHash: hash });
      expect(() => db.tenantId()).toThrow(MissingScopeError);
      await db.finish(false);
    });
    expect(createQueryRunner.mock.calls).toEqual([['master']]);
  });
});
