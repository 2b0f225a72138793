import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, lastValueFrom } from 'rxjs';
import { Db } from './db.service';

/**
 * Ends the request's transaction around the handler: commit before the
 * response is written (so a 2xx always means "stored"), roll back on error.
 */
@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  constructor(private readonly db: Db) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(
      (async () => {
        try {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          await this.db.finish(true);
          return result;
        } catch (e) {
          await this.db.finish(false);
          throw e;
        }
      })(),
    );
  }
}
