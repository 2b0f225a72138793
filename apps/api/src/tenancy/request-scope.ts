import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Db } from './db.service';
import { RequestStore, requestContext } from './request-context';

/**
 * Gives each request its own context store. If a request ends with its
 * transaction still open (a guard refused it, the client went away), the
 * transaction is rolled back and the connection returned to the pool.
 *
 * Fastify runs validation, guards and the handler from the body's 'end'
 * event, outside the async context of onRequest (nodejs/node#34430), so the
 * store is entered again, through an AsyncResource, before validation.
 */
export function installRequestScope(fastify: FastifyInstance, db: Db): void {
  const scopes = new WeakMap<FastifyRequest, AsyncResource>();
  fastify.addHook('onRequest', (req, reply, done) => {
    const ua = req.headers['user-agent'];
    const store: RequestStore = {
      requestId: req.id,
      ip: req.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 1000) : undefined,
    };
    reply.raw.once('close', () => {
      if (store.tx) void db.finish(false, store);
    });
    requestContext.run(store, () => {
      const scope = new AsyncResource('acc.request');
      scopes.set(req, scope);
      scope.runInAsyncScope(done);
    });
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    const scope = scopes.get(req);
    if (scope) scope.runInAsyncScope(done);
    else done();
  });
}
