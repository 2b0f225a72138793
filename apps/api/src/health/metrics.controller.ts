import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiExcludeController,
} from '@nestjs/swagger';
import { Public } from '../access/public.decorator';
import { MetricsService } from '../metrics/metrics.service';

@ApiTags('health')
@Public()
// operational, not part of the REST API integrators use: see docs/operations.md
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (restrict to your monitoring network in the proxy)',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format' })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
