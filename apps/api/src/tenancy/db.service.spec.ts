import type { DatabaseService } from '../database/database.service';
import { Db, MissingScopeError } from './db.service';
import { requestContext } from './request-context';

/**
 * The guard clause of the one tenant transaction: without a scope nothing
 * reaches the database. A stub stands in for the pool so that any attempt
 * to open a connection is seen (a unit test of the clause, no database).
 */
function stubDatabase() {
  const statements: Array<{ sql: string; params?: unknown[] }> = [];
  const runner = {
    isTransactionActive: false,
    startTransaction: jest.fn(async () => {
      runner.isTransactionActive = true;
    }),
    commitTransaction: jest.fn(async () => {
      runner.isTransactionActive = false;
    }),
    rollbackTransaction: jest.fn(async () => {
      runner.isTransactionActive = false;
    }),
    release: jest.fn(async () => undefined),
    query: jest.fn(async (sql: string, params?: unknown[]) => {
      statements.push({ sql, params });
      if (sql.includes('app_begin'))
        return [{ m_role: 'admin', m_status: 'active', m_token_version: 3, m_user_active: true }];
      return { records: [{ ok: 1 }], affected: 1 };
    }),
  };
  const createQueryRunner = jest.fn(() => runner);
  const database = {
    dataSource: { createQueryRunner },
    switchRole: 'acc_app',
    statementTimeoutMs: 1234,
    idleInTransactionTimeoutMs: 567,
    tenantPoolMax: 2,
    poolWaitMs: 1000,
  } as unknown as DatabaseService;
  return { database, createQueryRunner, runner, statements };
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
    const { database, createQueryRunner, runner, statements } = stubDatabase();
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
    expect(runner.commitTransaction).toHaveBeenCalledTimes(1);
    expect(runner.rollbackTransaction).not.toHaveBeenCalled();
    expect(runner.release).toHaveBeenCalledTimes(1);
  });

  it('rolls back and releases when the work throws', async () => {
    const { database, runner } = stubDatabase();
    const db = new Db(database);
    await expect(
      db.transaction({ tenantId: 'tenant-a' }, async () => {
        await db.query('UPDATE agents SET name = $1', ['x']);
        throw new Error('halfway');
      }),
    ).rejects.toThrow('halfway');
    expect(runner.rollbackTransaction).toHaveBeenCalledTimes(1);
    expect(runner.commitTransaction).not.toHaveBeenCalled();
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
