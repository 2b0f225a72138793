import { Controller, Get, HttpStatus, OnApplicationShutdown, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiExcludeController,
} from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { createZodDto } from '../common/zod-dto';
import { HealthResponse } from '@acc/contracts';
import { Public } from '../access/public.decorator';
import { appVersion } from '../version';
import { DatabaseHealthIndicator } from './database.indicator';

class HealthDto extends createZodDto(HealthResponse) {}

@ApiTags('health')
@Public()
// operational, not part of the REST API integrators use: see docs/operations.md
@ApiExcludeController()
@Controller()
export class HealthController implements OnApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
  ) {}

  /** From SIGTERM on, readiness answers 503 so that load balancers stop sending traffic. */
  startDraining(): void {
    this.shuttingDown = true;
  }

  onApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  @Get(['health', 'api/v1/health'])
  @ApiOkResponse({
    type: HealthDto,
    description:
      'every dependency is up: status healthy, or degraded when every pooled database connection is in use or requests wait for one',
  })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'the database is unreachable' })
  async check(@Res({ passthrough: true }) res: FastifyReply) {
    return this.report(res, () => this.db.check());
  }

  @Get('health/live')
  @ApiOkResponse({ description: 'the process is running (no dependency checked)' })
  live() {
    return { status: 'healthy', timestamp: new Date().toISOString() };
  }

  @Get('health/ready')
  @ApiOkResponse({ type: HealthDto, description: 'ready to take traffic' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: 'not ready: database down or shutting down',
  })
  async ready(@Res({ passthrough: true }) res: FastifyReply) {
    return this.report(res, async () => {
      const db = await this.db.check();
      if (this.shuttingDown) return { ...db, shutdown: { status: 'down' as const } };
      return db;
    });
  }

  private async report(res: FastifyReply, indicator: () => Promise<HealthIndicatorResult>) {
    let details: HealthIndicatorResult;
    try {
      const result = await this.health.check([indicator]);
      details = result.details;
    } catch (e) {
      // Terminus throws ServiceUnavailableException carrying the same details when any check is down.
      details = ((e as { response?: { details?: HealthIndicatorResult } }).response?.details ??
        {}) as HealthIndicatorResult;
    }
    const healthy = Object.values(details).every((d) => d.status === 'up');
    // busy, not broken: the instance still serves (requests queue for a connection)
    const saturated = Object.values(details).some((d) => d['saturated'] === true);
    res.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    res.header('Cache-Control', 'no-store');
    return {
      status: !healthy ? 'unhealthy' : saturated ? 'degraded' : 'healthy',
      timestamp: new Date().toISOString(),
      version: appVersion(),
      uptimeSeconds: Math.round(process.uptime()),
      details,
    };
  }
}
