import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ZodValidationPipe } from 'nestjs-zod';
import { AgentsModule } from './agents/agents.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CallsModule } from './calls/calls.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { LeadsModule } from './leads/leads.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { SeedModule } from './seed/seed.module';
import { UsageModule } from './usage/usage.module';
import { AccessModule } from './access/access.module';
import { ApiAuthGuard } from './access/auth.guard';
import { ApiExceptionFilter } from './common/exception.filter';
import { parseEnv } from './config/env';
import { ConsoleHostModule } from './console-host/console-host.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { InvitationsModule } from './invitations/invitations.module';
import { JobsModule } from './jobs/jobs.module';
import { AppLoggerModule } from './logging';
import { TenancyModule } from './tenancy/tenancy.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** Built at call time so the environment is read when the app is created, not when imported. */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // .env was read and every value checked by loadEnvironment() before this runs.
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: true,
          validate: (raw) => parseEnv(raw as NodeJS.ProcessEnv),
        }),
        AppLoggerModule,
        TenancyModule,
        JobsModule,
        RedisModule,
        MetricsModule,
        UsageModule,
        HealthModule,
        AccessModule,
        AuditModule,
        AuthModule,
        TenantsModule,
        UsersModule,
        InvitationsModule,
        ApiKeysModule,
        WebhooksModule,
        AgentsModule,
        LeadsModule,
        CallsModule,
        CampaignsModule,
        IntegrationsModule,
        SeedModule,
        ConsoleHostModule,
      ],
      providers: [
        // Unknown fields are rejected by the strict contract schemas, not dropped.
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
