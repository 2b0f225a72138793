import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM, persisted under dataDir and served over the
 * wire protocol on loopback, so the API talks to it exactly as to a server.
 * All connections share ONE backend session as superuser: the tenant
 * transaction therefore also switches to the API role (see app_begin).
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  maxConnections: number,
): Promise<EmbeddedDatabase> {
  // imported here, not at the top: an API on an external PostgreSQL never loads PGlite
  const [{ PGlite }, { pg_trgm }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite-socket'),
  ]);
  const dir = resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const unlock = await lockDataDir(dir);
  const db = await PGlite.create(dir, {
    extensions: { pg_trgm },
    // PGlite lives in this process's memory and WASM memory never shrinks: PostgreSQL's
    // default 128 MB of shared buffers (and 64 MB for index builds) would stay resident
    // for good; the OS page cache keeps the data files hot instead.
    startParams: [
      ...PGlite.defaultStartParams,
      ...['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'],
    ],
  });
  // Port 0: a port already taken by another server would silently become "the database".
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dataDir: dir,
    async stop() {
      await server.stop();
      await db.close();
      await unlock();
    },
  };
}

/**
 * One process per data directory: a second PGlite on the same files (a second
 * `npm start`) corrupts them beyond repair. A lock left by a dead process is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, '..', 'pglite.lock');
  for (;;) {
    try {
      const f = await open(path, 'wx');
      await f.writeFile(String(process.pid));
      await f.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (holder && isAlive(holder)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${holder}; stop it first, or give this one another DATA_DIR`,
        );
      }
      await rm(path, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
