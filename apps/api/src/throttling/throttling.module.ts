import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Env } from '../config/env';
import { accountKey } from './auth-throttle.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const ttl = config.get('THROTTLE_AUTH_TTL_SECONDS', { infer: true }) * 1000;
        const redisUrl = config.get('REDIS_URL', { infer: true });
        return {
          throttlers: [
            { name: 'ip', ttl, limit: config.get('THROTTLE_IP_LIMIT', { infer: true }) },
            {
              name: 'account',
              ttl,
              limit: config.get('THROTTLE_AUTH_LIMIT', { infer: true }),
              getTracker: (req: Record<string, unknown>) => accountKey(req),
            },
          ],
          storage: redisUrl ? new RedisThrottlerStorage(redisUrl) : undefined,
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class ThrottlingModule {}
