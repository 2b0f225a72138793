import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '../database/database.module';
import { DatabaseHealthIndicator } from './database.indicator';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The operations endpoints: /health for load balancers, /metrics for Prometheus. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule],
  controllers: [HealthController, MetricsController],
  providers: [DatabaseHealthIndicator],
})
export class HealthModule {}
