import { Global, Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { Db } from './db.service';

/** The request's transaction ends in request-scope.ts (a Fastify hook), not in a Nest interceptor. */
@Global()
@Module({
  imports: [DatabaseModule],
  providers: [Db],
  exports: [Db],
})
export class TenancyModule {}
