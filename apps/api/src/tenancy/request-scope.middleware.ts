import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Db } from './db.service';
import { RequestStore, requestContext } from './request-context';

/**
 * Gives each request its own context store. If a request ends with its
 * transaction still open (a guard refused it, the client went away), the
 * transaction is rolled back and the connection returned to the pool.
 */
@Injectable()
export class RequestScopeMiddleware implements NestMiddleware {
  constructor(private readonly db: Db) {}

  use(req: Request & { id?: string }, res: Response, next: NextFunction): void {
    const store: RequestStore = { requestId: req.id };
    res.once('close', () => {
      if (store.tx) void this.db.finish(false, store);
    });
    requestContext.run(store, next);
  }
}
