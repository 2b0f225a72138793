import { Global, Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { JobsService } from './jobs.service';

@Global()
@Module({
  imports: [DatabaseModule],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
