import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Env } from '../config/env';
import { accountKey } from './auth-throttle.guard';
import { LoginSlowdown } from './login-slowdown';
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
              // sign-up and reset mails per account, whatever the address (not sign-in:
              // that would let anyone lock anyone out; it is slowed instead, LoginSlowdown)
              name: 'account',
              ttl,
              limit: config.get('THROTTLE_AUTH_LIMIT', { infer: true }),
              getTracker: (req: Record<string, unknown>) => accountKey(req),
            },
            {
              // one address guessing one account
              name: 'account-address',
              ttl,
              limit: config.get('THROTTLE_AUTH_LIMIT', { infer: true }),
              getTracker: (req: Record<string, unknown>) =>
                `${accountKey(req)}|${String(req['ip'])}`,
            },
          ],
          storage: redisUrl ? new RedisThrottlerStorage(redisUrl) : undefined,
        };
      },
    }),
  ],
  providers: [LoginSlowdown],
  exports: [ThrottlerModule, LoginSlowdown],
})
export class ThrottlingModule {}
