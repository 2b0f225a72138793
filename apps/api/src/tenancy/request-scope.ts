import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerKind } from '../common/answer-kind';
import { Db } from './db.service';
import { RequestStore, requestContext } from './request-context';

/**
 * Gives each request its own context store, and ends its transaction on the
 * way out. If a request ends with its transaction still open (the client
 * went away, a handler that streams its own answer), the transaction is
 * rolled back and the connection returned to the pool.
 *
 * Fastify runs validation, guards and the handler from the body's 'end'
 * event, outside the async context of onRequest (nodejs/node#34430), so the
 * store is entered again, through an AsyncResource, before validation.
 */
export function installRequestScope(fastify: FastifyInstance, db: Db): void {
  const scopes = new WeakMap<FastifyRequest, { scope: AsyncResource; store: RequestStore }>();
  fastify.addHook('onRequest', (req, reply, done) => {
    const ua = req.headers['user-agent'];
    const store: RequestStore = {
      logger: req.raw.log,
      requestId: req.id,
      ip: req.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 1000) : undefined,
    };
    reply.raw.once('close', () => {
      if (store.tx) void db.finish(false, store);
    });
    requestContext.run(store, () => {
      const scope = new AsyncResource('acc.request');
      scopes.set(req, { scope, store });
      scope.runInAsyncScope(done);
    });
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    const s = scopes.get(req);
    if (s) s.scope.runInAsyncScope(done);
    else done();
  });
  // Before a byte of the answer is written: a handler's result commits the
  // transaction (so a 2xx always means "stored"; a failed COMMIT is answered
  // by the exception filter instead), an error rolls it back. An answer a
  // handler sends itself while it runs (an export's stream) leaves the
  // transaction to that handler (commitAndRelease / finish), as the
  // interceptor that did this before left it. Done here rather than in a
  // Nest interceptor: any interceptor makes Nest wrap every request in rxjs
  // (docs/performance.md, issue 17).
  fastify.addHook('onSend', (req, reply, payload, done) => {
    const answer = answerKind(reply.raw);
    const store = scopes.get(req)?.store;
    if (!answer || !store || store.finished) return done(null, payload);
    // Meanwhile another answer may have gone out (a handler's stream that
    // failed before its first byte is answered by Fastify too): this one is dropped.
    const unlessAnswered = (go: () => void) => {
      if (!reply.raw.headersSent) go();
    };
    db.finish(answer === 'result', store).then(
      () => unlessAnswered(() => done(null, payload)),
      (e: Error) => unlessAnswered(() => done(e)),
    );
  });
}
