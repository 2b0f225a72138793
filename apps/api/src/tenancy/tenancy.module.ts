import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DatabaseModule } from '../database/database.module';
import { Db } from './db.service';
import { RequestScopeMiddleware } from './request-scope.middleware';
import { TransactionInterceptor } from './transaction.interceptor';

@Global()
@Module({
  imports: [DatabaseModule],
  providers: [Db, { provide: APP_INTERCEPTOR, useClass: TransactionInterceptor }],
  exports: [Db],
})
export class TenancyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestScopeMiddleware).forRoutes('*');
  }
}
