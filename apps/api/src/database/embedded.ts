import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
  const dir = resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { pg_trgm } });
  // Port 0: a port already taken by another server would silently become "the database".
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dataDir: dir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
