import type { Client as Pg } from 'pg';
import { Db, MissingScopeError } from '../tenancy/db.service';
import { signup } from '../testing/accounts';
import { client } from '../testing/http';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, connectAsOwner, createTestDatabase } from '../testing/test-database';
import { LeadsRepository } from './leads.repository';

/**
 * The import's third part on its own: the batch statements of the leads
 * repository, on a tenant transaction as the API role (as the import runs them).
 */
describe('leads repository: batch upsert', () => {
  let db: TestDatabase;
  let owner: Pg;
  let t: TestApp;
  let tenantId: string;
  let repo: LeadsRepository;
  let tx: Db;

  const inTenant = <T>(fn: () => Promise<T>) => tx.transaction({ tenantId }, fn);
  const stored = async () =>
    (
      await owner.query(
        `SELECT phone, first_name, status, tags, custom_fields FROM leads WHERE tenant_id = $1 ORDER BY phone`,
        [tenantId],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await connectAsOwner(db);
    t = await startTestApp(db);
    tenantId = (await signup(client(t.url), 'Batch')).tenantId;
    repo = t.app.get(LeadsRepository);
    tx = t.app.get(Db);
  });

  afterAll(async () => {
    await t?.close();
    await owner?.end();
    await db?.drop();
  });

  it('inserts new phones with the column defaults, and answers which', async () => {
    const inserted = await inTenant(() =>
      repo.insertNew([
        { phone: '+14155550101', firstName: 'Ada', customFields: {} },
        { phone: '+14155550102', tags: ['vip', 'x'], customFields: { plan: 'gold' } },
      ]),
    );
    expect([...inserted].sort()).toEqual(['+14155550101', '+14155550102']);
    expect(await stored()).toEqual([
      { phone: '+14155550101', first_name: 'Ada', status: 'new', tags: [], custom_fields: {} },
      {
        phone: '+14155550102',
        first_name: null,
        status: 'new',
        tags: ['vip', 'x'],
        custom_fields: { plan: 'gold' },
      },
    ]);
  });

  it('skips phones that exist; updating them keeps what a row leaves out and merges custom fields', async () => {
    const rows = [
      { phone: '+14155550101', status: 'qualified' as const, customFields: { plan: 'silver' } },
      { phone: '+14155550102', firstName: 'Bo', customFields: { seats: '3' } },
    ];
    const [inserted, updated] = await inTenant(async () => [
      await repo.insertNew(rows),
      await repo.updateExisting(rows),
    ]);
    expect([inserted.size, updated]).toEqual([0, 2]);
    expect(await stored()).toEqual([
      {
        phone: '+14155550101',
        first_name: 'Ada',
        status: 'qualified',
        tags: [],
        custom_fields: { plan: 'silver' },
      },
      {
        phone: '+14155550102',
        first_name: 'Bo',
        status: 'new',
        tags: ['vip', 'x'],
        custom_fields: { plan: 'gold', seats: '3' },
      },
    ]);
  });

  it('runs nothing without a tenant in the transaction scope (fails closed), writes nothing', async () => {
    await expect(
      tx.transaction({ purpose: 'signup' }, () =>
        repo.insertNew([{ phone: '+14155550199', customFields: {} }]),
      ),
    ).rejects.toThrow(MissingScopeError);
    expect((await stored()).length).toBe(2);
  });
});
