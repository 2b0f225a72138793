import { Global, Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { MetricsService } from './metrics.service';
import { PlatformStatsRepository } from './platform-stats.repository';

@Global()
@Module({
  imports: [DatabaseModule],
  providers: [PlatformStatsRepository, MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
