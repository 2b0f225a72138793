-- A pending delivery that is deleted takes its job with it. Deliveries go
-- when their endpoint is deleted, when the daily purge deletes their event,
-- and when their tenant is deleted (all by cascade); the job queued for a
-- pending one (008: key webhook_delivery:<id>) stayed, ran at its time,
-- found nothing to send and ended: work for nothing, and a job in the queue
-- that no row explains. remove_job deletes a job that is waiting, and one
-- that is running is not tried again.

CREATE OR REPLACE FUNCTION app_webhook_delivery_job_removed() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM graphile_worker.remove_job('webhook_delivery:' || OLD.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_webhook_deliveries_job_delete AFTER DELETE ON webhook_deliveries
  FOR EACH ROW
  WHEN (OLD.status = 'pending')
  EXECUTE FUNCTION app_webhook_delivery_job_removed();
