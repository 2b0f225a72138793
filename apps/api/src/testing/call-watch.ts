import type { Client } from 'pg';

/**
 * Records, as each call is inserted, how many calls of its tenant are in
 * progress in that inserting transaction's view (committed ones and its own):
 * the figure a concurrency cap must bound. created_at cannot tell it (it is
 * the inserting transaction's start, which may precede other commits).
 * Installed by the owner in a schema of its own (the API role's grants on
 * public are checked at boot), for tests only.
 */
export async function watchCallsInProgress(
  owner: Client,
): Promise<(tenantId: string) => Promise<number>> {
  await owner.query(`
    CREATE SCHEMA IF NOT EXISTS test_watch;
    CREATE TABLE IF NOT EXISTS test_watch.calls (tenant_id uuid, in_progress int);
    CREATE OR REPLACE FUNCTION test_watch.watch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      INSERT INTO test_watch.calls
      SELECT NEW.tenant_id, count(*) FROM public.calls
       WHERE tenant_id = NEW.tenant_id AND status IN ('queued', 'ringing', 'in_progress');
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS trg_test_call_watch ON calls;
    CREATE TRIGGER trg_test_call_watch AFTER INSERT ON calls FOR EACH ROW EXECUTE FUNCTION test_watch.watch();
  `);
  return async (tenantId) =>
    (
      await owner.query(
        'SELECT coalesce(max(in_progress), 0)::int AS n FROM test_watch.calls WHERE tenant_id = $1',
        [tenantId],
      )
    ).rows[0].n;
}
