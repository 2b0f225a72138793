import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signup } from '../testing/accounts';
import { client } from '../testing/http';
import { startTestApp } from '../testing/test-app';
import {
  APP_ROLE,
  MIGRATIONS_DIR,
  TestDatabase,
  connectAsOwner,
  createTestDatabase,
} from '../testing/test-database';
import { runMigrations } from './database.service';

describe('migration runner', () => {
  let db: TestDatabase;
  let owner: Client;

  beforeAll(async () => {
    db = await createTestDatabase(); // already migrated once
    owner = await connectAsOwner(db);
  });

  afterAll(async () => {
    await owner?.end();
    await db?.drop();
  });

  it('applies every file once, in order, and records it', async () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const { rows } = await owner.query(
      'SELECT version FROM schema_migrations ORDER BY applied_at, version',
    );
    expect(rows.map((r) => r.version)).toEqual(files);
    const again = await runMigrations(db.ownerUrl, { dir: MIGRATIONS_DIR, appRole: APP_ROLE });
    expect(again).toEqual({ applied: [], skipped: files, appRole: APP_ROLE });
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-migrations-'));
    try {
      for (const f of readdirSync(MIGRATIONS_DIR))
        copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
      writeFileSync(
        join(dir, '999_broken.sql'),
        'CREATE TABLE half_done (id int);\nSELECT 1 / 0;\n',
      );
      await expect(runMigrations(db.ownerUrl, { dir, appRole: APP_ROLE })).rejects.toThrow(
        /999_broken\.sql failed/,
      );
      const table = await owner.query(`SELECT to_regclass('public.half_done') AS t`);
      const recorded = await owner.query(
        `SELECT count(*)::int AS n FROM schema_migrations WHERE version = '999_broken.sql'`,
      );
      expect([table.rows[0].t, recorded.rows[0].n]).toEqual([null, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('grants the API role data access only: no DDL, no migration table', async () => {
    const app = new Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      if (db.embedded) await app.query(`SET ROLE ${APP_ROLE}`);
      await expect(app.query('CREATE TABLE intruder (id int)')).rejects.toThrow(
        /permission denied/,
      );
      await expect(app.query('SELECT * FROM schema_migrations')).rejects.toThrow(
        /permission denied/,
      );
      await expect(app.query('TRUNCATE leads')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});

describe('the role the API runs as', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to start in production as a superuser (it would bypass RLS)', async () => {
    // also holds on the PGlite fallback: its URL reaches the API as a plain superuser connection
    await expect(
      startTestApp(db, { NODE_ENV: 'production', DATABASE_URL: db.ownerUrl }),
    ).rejects.toThrow(/superuser.*bypass row-level security/);
  });

  it('starts outside production as a superuser, and still enforces RLS by switching role per transaction', async () => {
    const t = await startTestApp(db, { NODE_ENV: 'development', DATABASE_URL: db.ownerUrl });
    try {
      const c = client(t.url);
      const a = await signup(c, 'SuperA');
      const b = await signup(c, 'SuperB');
      await c.post('/api/v1/agents', { name: 'only-b' }, b.token);
      const list = await c.get('/api/v1/agents', a.token);
      expect(list.body.data).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
