import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as Pg } from 'pg';
import { bootFailureLines } from '../boot-failure';
import { signup } from '../testing/accounts';
import { client } from '../testing/http';
import { TEST_JWT_SECRET, startAppWith } from '../testing/test-app';
import { MIGRATIONS_DIR, adminUrl } from '../testing/test-database';
import { ROOT, freePort } from '../testing/main-process';
import { DatabaseService } from './database.service';

const PASSWORD = 'setup-secret-1';
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET };

/**
 * Databases as people set them up, each on its own fresh database with real
 * roles (unique per run, dropped afterwards: roles are cluster-wide). Each
 * either serves (signup -> lead -> list, another tenant sees nothing) or
 * stops at boot with the one line the process prints.
 */
describe('database setups: each serves, or stops at boot with its fix', () => {
  const admin = adminUrl();
  // the creating process's id lets global-setup drop what an interrupted run left behind
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const databases: string[] = [];
  const roles: string[] = [];
  let su: Pg;

  /** A database and a role name of this run, for one case. */
  const names = (label: string) => ({
    db: `acc_test_${tag}_${label}`,
    role: `acc_setup_${tag}_${label}`,
  });
  const urlOf = (user: string | null, db: string, port?: number) => {
    const u = new URL(admin as string);
    if (user) {
      u.username = user;
      u.password = PASSWORD;
    }
    if (port) u.port = String(port);
    u.pathname = `/${db}`;
    return u.toString();
  };
  /** Statements as the superuser, in database `db`. */
  const superuser = async (db: string, ...statements: string[]) => {
    const c = new Pg({ connectionString: urlOf(null, db) });
    await c.connect();
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  };
  const createRoles = async (...statements: Array<[string, string]>) => {
    for (const [role, options] of statements) {
      roles.push(role);
      await su.query(`CREATE ROLE ${role} ${options} PASSWORD '${PASSWORD}'`);
    }
  };
  const createDatabase = async (db: string, owner?: string) => {
    databases.push(db);
    await su.query(`CREATE DATABASE ${db}${owner ? ` OWNER ${owner}` : ''}`);
  };

  /** Boots the app with these settings: it serves two tenants apart, or the boot fails. */
  async function serves(env: Record<string, string>) {
    const t = await startAppWith({ MIGRATIONS_DIR, MIGRATE_ON_BOOT: 'true', ...env });
    try {
      const c = client(t.url);
      const health = await c.get('/health');
      expect([health.status, health.body.status]).toEqual([200, 'healthy']);
      const a = await signup(c, 'SetupA');
      const b = await signup(c, 'SetupB');
      const lead = await c.post(
        '/api/v1/leads',
        { phone: '+14155550142', firstName: 'Ada' },
        a.token,
      );
      expect(lead.status).toBe(201);
      const [mine, theirs, direct] = await Promise.all([
        c.get('/api/v1/leads', a.token),
        c.get('/api/v1/leads', b.token),
        c.get(`/api/v1/leads/${lead.body.id}`, b.token),
      ]);
      expect(mine.body.data.map((l: { id: string }) => l.id)).toEqual([lead.body.id]);
      expect([theirs.body.data, direct.status]).toEqual([[], 404]);
      return { switchRole: t.app.get(DatabaseService).switchRole, url: t.url, close: t.close };
    } catch (e) {
      await t.close();
      throw e;
    }
  }

  /** The line the process prints when this boot fails (main.ts prints exactly these). */
  async function bootLine(env: Record<string, string>): Promise<string> {
    const outcome = await startAppWith({ MIGRATIONS_DIR, MIGRATE_ON_BOOT: 'true', ...env }).then(
      async (t) => {
        await t.close();
        return new Error('it booted');
      },
      (e: unknown) => e,
    );
    const lines = bootFailureLines(outcome);
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  beforeAll(async () => {
    if (!admin) return;
    su = new Pg({ connectionString: admin });
    await su.connect();
  });

  afterAll(async () => {
    if (!su) return;
    for (const db of databases) await su.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    for (const role of roles.reverse()) await su.query(`DROP ROLE IF EXISTS ${role}`);
    await su.end();
  });

  if (!admin) {
    // PGlite has one superuser session, no roles to log in as: only the
    // embedded setup can run here. CI always has a server.
    it('without a PostgreSQL server: the embedded database serves (the other setups need a server)', async () => {
      if (process.env['CI'] === 'true') {
        throw new Error('no PostgreSQL server: set TEST_DATABASE_URL or start PostgreSQL 15');
      }
      process.stdout.write('database setups: no PostgreSQL server, only the embedded setup ran\n');
      const dir = mkdtempSync(join(tmpdir(), 'acc-setup-embedded-'));
      try {
        const t = await serves({ DATABASE_URL: '', DATA_DIR: dir });
        await t.close();
        expect(t.switchRole).toBe('acc_app');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
    return;
  }

  it('(a) one URL whose user owns the database: serves, tenant transactions run as that owner', async () => {
    const { db, role } = names('a');
    await createRoles([role, 'LOGIN']);
    await createDatabase(db, role);
    const t = await serves({ DATABASE_URL: urlOf(role, db) });
    await t.close();
    // no role switch: forced row-level security binds the owner itself
    expect(t.switchRole).toBeNull();
  });

  it('(b) an owner with CREATEROLE (managed PostgreSQL): serves as itself; asked for a separate role, creates it and its membership', async () => {
    const { db, role } = names('b');
    const apiRole = `${role}_api`;
    await createRoles([role, 'LOGIN CREATEROLE']);
    roles.push(apiRole);
    await createDatabase(db, role);
    const own = await serves({ DATABASE_URL: urlOf(role, db) });
    await own.close();
    expect(own.switchRole).toBeNull();

    const asked = await serves({ DATABASE_URL: urlOf(role, db), DATABASE_APP_ROLE: apiRole });
    await asked.close();
    expect(asked.switchRole).toBe(apiRole);
    const { rows } = await su.query(
      `SELECT r.rolcanlogin, pg_has_role($2, r.oid, 'MEMBER') AS member FROM pg_roles r WHERE rolname = $1`,
      [apiRole, role],
    );
    expect(rows).toEqual([{ rolcanlogin: false, member: true }]);
  });

  it('(b) a plain owner asked for an API role it cannot create: the line names the SQL, which then works', async () => {
    const { db, role } = names('b2');
    const apiRole = `${role}_api`;
    await createRoles([role, 'LOGIN']);
    roles.push(apiRole);
    await createDatabase(db, role);
    const env = { DATABASE_URL: urlOf(role, db), DATABASE_APP_ROLE: apiRole };
    expect(await bootLine(env)).toBe(
      `error: migrations: cannot create the API role "${apiRole}" (permission denied to create role); ` +
        `as a superuser run: CREATE ROLE ${apiRole} NOLOGIN NOSUPERUSER NOBYPASSRLS; GRANT ${apiRole} TO ${role}`,
    );
    await superuser(
      'postgres',
      `CREATE ROLE ${apiRole} NOLOGIN NOSUPERUSER NOBYPASSRLS`,
      `GRANT ${apiRole} TO ${role}`,
    );
    const t = await serves(env);
    await t.close();
    expect(t.switchRole).toBe(apiRole);
  });

  it('(c) production: migrations as the owner (DATABASE_MIGRATION_URL), the API as its own role; /health follows its grants', async () => {
    const { db, role } = names('c');
    const [owner, app] = [`${role}_owner`, `${role}_app`];
    await createRoles([owner, 'LOGIN'], [app, 'LOGIN']);
    await createDatabase(db, owner);
    await superuser(
      'postgres',
      `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
      `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${app}`,
    );
    const t = await serves({
      ...PRODUCTION,
      DATABASE_MIGRATION_URL: urlOf(owner, db),
      DATABASE_URL: urlOf(app, db),
      DATABASE_APP_ROLE: app,
    });
    try {
      expect(t.switchRole).toBeNull();
      const c = client(t.url);
      // a pool that still answers SELECT 1 but whose tenant transactions fail is not healthy
      await superuser(db, `REVOKE SELECT ON leads FROM ${app}`);
      const down = await c.get('/health');
      expect([down.status, down.body.details.database.message]).toEqual([
        503,
        'permission denied for table leads',
      ]);
      await superuser(db, `GRANT SELECT ON leads TO ${app}`);
      expect((await c.get('/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("(d) the common guide's steps verbatim: stops with the fix; after that GRANT it serves", async () => {
    const { db, role } = names('d');
    await createDatabase(db);
    roles.push(role);
    await su.query(`CREATE USER ${role} WITH PASSWORD '${PASSWORD}'`);
    await su.query(`GRANT ALL PRIVILEGES ON DATABASE ${db} TO ${role}`);
    const env = { DATABASE_URL: urlOf(role, db) };
    const line =
      `error: migrations: permission denied for schema public: "${role}" may not create tables in schema public ` +
      `of database "${db}" (since PostgreSQL 15 only the database owner may, unless granted); ` +
      `as a superuser, in that database, run: GRANT CREATE ON SCHEMA public TO ${role}; or make it the owner: ` +
      `ALTER DATABASE ${db} OWNER TO ${role}; ALTER SCHEMA public OWNER TO ${role}`;
    expect(await bootLine(env)).toBe(line);

    // the same line from the process itself: `main.js migrate`, run from source
    const migrate = spawnSync(
      process.execPath,
      ['-r', require.resolve('@swc-node/register'), join(__dirname, '..', 'main.ts'), 'migrate'],
      {
        cwd: mkdtempSync(join(tmpdir(), 'acc-setup-')),
        env: {
          PATH: process.env['PATH'] ?? '',
          SWC_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.app.json'),
          DATABASE_URL: env.DATABASE_URL,
          MIGRATIONS_DIR,
        },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect({ code: migrate.status, stderr: migrate.stderr }).toEqual({
      code: 1,
      stderr: `${line}\n`,
    });

    await superuser(db, `GRANT CREATE ON SCHEMA public TO ${role}`);
    const t = await serves(env);
    await t.close();
    expect(t.switchRole).toBeNull();
  });

  it('(e) a superuser URL: development serves by switching to acc_app per transaction; production refuses', async () => {
    const { db } = names('e');
    await createDatabase(db);
    const t = await serves({ NODE_ENV: 'development', DATABASE_URL: urlOf(null, db) });
    await t.close();
    expect(t.switchRole).toBe('acc_app');

    const superName = new URL(admin).username || 'postgres';
    expect(await bootLine({ ...PRODUCTION, DATABASE_URL: urlOf(null, db) })).toBe(
      `error: database role "${superName}" is a superuser and would bypass row-level security, which production refuses; ` +
        'keep this URL for migrations only (DATABASE_MIGRATION_URL) and set DATABASE_URL to a role without SUPERUSER ' +
        'or BYPASSRLS, e.g. postgres://acc_app:<password>@host/db (the migrations create it with that password)',
    );
  });

  it('(f) production through PgBouncer in transaction mode: serves', async () => {
    const { db, role } = names('f');
    const [owner, app] = [`${role}_owner`, `${role}_app`];
    await createRoles([owner, 'LOGIN'], [app, 'LOGIN']);
    await createDatabase(db, owner);
    const bouncer = await startPgBouncer(db, app);
    try {
      const t = await serves({
        ...PRODUCTION,
        DATABASE_MIGRATION_URL: urlOf(owner, db),
        DATABASE_URL: urlOf(app, db, bouncer.port),
        DATABASE_APP_ROLE: app,
      });
      await t.close();
      expect(t.switchRole).toBeNull();
      expect(bouncer.log()).toMatch(/process up: PgBouncer/);
    } finally {
      bouncer.stop();
    }
  });

  /**
   * docker/pgbouncer/pgbouncer.ini (transaction pooling, SCRAM with the
   * verifier from pg_authid) on a free port in front of the test server, as
   * ops/tests/pgbouncer-smoke.sh runs it.
   */
  async function startPgBouncer(db: string, user: string) {
    const binary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
    if (!binary) {
      // never skipped: scripts/test.sh installs it where it can (root)
      throw new Error('pgbouncer is not installed: apt-get install -y pgbouncer');
    }
    const server = new URL(admin as string);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'acc-setup-pgbouncer-'));
    chmodSync(dir, 0o755);
    const ini = readFileSync(join(ROOT, 'docker', 'pgbouncer', 'pgbouncer.ini'), 'utf8')
      .replace(
        /^acc = host=postgres port=5432 dbname=acc$/m,
        `${db} = host=${server.hostname} port=${server.port || 5432} dbname=${db}`,
      )
      .replace(/^listen_addr = .*$/m, 'listen_addr = 127.0.0.1')
      .replace(/^listen_port = .*$/m, `listen_port = ${port}`)
      .replace(/^auth_file = .*$/m, `auth_file = ${dir}/userlist.txt`);
    expect(ini).toMatch(/^pool_mode = transaction$/m);
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      `${ini}\npidfile = ${dir}/pgbouncer.pid\nlogfile = ${dir}/pgbouncer.log\n`,
    );
    const { rows } = await su.query(
      `SELECT format('"%s" "%s"', rolname, rolpassword) AS line FROM pg_authid WHERE rolname = $1`,
      [user],
    );
    writeFileSync(join(dir, 'userlist.txt'), `${rows[0].line}\n`, { mode: 0o600 });
    // PgBouncer refuses to run as root
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const pg = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const uid = Number(pg.stdout.trim());
      for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, f), uid, uid);
    }
    const [cmd, args] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', binary, '-d', join(dir, 'pgbouncer.ini')]]
      : [binary, ['-d', join(dir, 'pgbouncer.ini')]];
    await new Promise<void>((resolve, reject) =>
      spawn(cmd, args, { stdio: 'ignore' })
        .on('error', reject)
        .on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`pgbouncer exited ${code}`)),
        ),
    );
    const pidFile = join(dir, 'pgbouncer.pid');
    for (let i = 0; i < 50 && !existsSync(pidFile); i++) await sleep(100);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return {
      port,
      log: () => readFileSync(join(dir, 'pgbouncer.log'), 'utf8'),
      stop() {
        process.kill(pid, 'SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
