import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiExcludeController } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { createZodDto } from '../common/zod-dto';
import { ConsoleRuntimeConfig } from '@acc/contracts';
import { Public } from '../access/public.decorator';
import type { Env } from '../config/env';
import { appVersion } from '../version';

class ConsoleRuntimeConfigDto extends createZodDto(ConsoleRuntimeConfig) {}

@ApiTags('console')
@Public()
// operational, not part of the REST API integrators use: see docs/operations.md
@ApiExcludeController()
@Controller()
export class ConsoleHostController {
  constructor(private readonly config: ConfigService<Env, true>) {}

  /** Runtime settings of the console: one build serves every environment. */
  @Get('config.json')
  @Header('Cache-Control', 'no-cache')
  @ApiOkResponse({ type: ConsoleRuntimeConfigDto })
  runtimeConfig(): ConsoleRuntimeConfig {
    return {
      apiUrl: this.config.get('API_URL', { infer: true }),
      appName: this.config.get('APP_NAME', { infer: true }),
      appVersion: this.config.get('APP_VERSION', { infer: true }) ?? appVersion(),
    };
  }
}
