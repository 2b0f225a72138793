import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DatabaseModule } from '../database/database.module';
import { Db } from './db.service';
import { TransactionInterceptor } from './transaction.interceptor';

@Global()
@Module({
  imports: [DatabaseModule],
  providers: [Db, { provide: APP_INTERCEPTOR, useClass: TransactionInterceptor }],
  exports: [Db],
})
export class TenancyModule {}
