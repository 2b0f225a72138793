import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/** Times every request; the label is the matched route template ("unmatched" for a 404). */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const labels = {
      route: req.routeOptions.url ?? 'unmatched',
      method: req.method,
      status: String(reply.statusCode),
    };
    metrics.requestDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) metrics.errors.inc(labels);
    done();
  });
}
