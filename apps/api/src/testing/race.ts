import type { Client as Pg } from 'pg';
import { cannotRunHere } from './skips';
import type { TestDatabase } from './test-database';

export interface Race<T> {
  results: T[];
  /** how many statements were held at the barrier together when it opened */
  heldTogether: number;
}

/**
 * Makes concurrent requests reach PostgreSQL together. Without it, requests
 * sent "at once" on a cold pool run one after another and a race test never
 * races. The owner connection locks `table` in SHARE mode (readers pass,
 * every INSERT/UPDATE/DELETE waits), the requests are sent, and the lock is
 * released only once `n` of their statements wait on it. Fails when they do
 * not all arrive: then the test would prove nothing.
 */
export async function raceAtBarrier<T>(
  db: TestDatabase,
  owner: Pg,
  table: string,
  n: number,
  send: () => Promise<T>,
): Promise<Race<T>> {
  if (db.embedded) {
    // one PGlite session runs every transaction in turn: nothing can race there
    cannotRunHere(`the ${table} race at a barrier (embedded database)`);
    return { results: await Promise.all(Array.from({ length: n }, send)), heldTogether: n };
  }
  await owner.query('BEGIN');
  let heldTogether = 0;
  let pending: Promise<T>[] = [];
  try {
    await owner.query(`LOCK TABLE ${table} IN SHARE MODE`);
    pending = Array.from({ length: n }, send);
    const deadline = Date.now() + 10_000;
    while (heldTogether < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE c.relname = $1 AND NOT l.granted`,
        [table],
      );
      heldTogether = rows[0].n;
    }
  } finally {
    await owner.query('COMMIT');
  }
  const results = await Promise.all(pending);
  if (heldTogether < n)
    throw new Error(`only ${heldTogether} of ${n} writes reached ${table} together`);
  return { results, heldTogether };
}
