import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';

type Record_ = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// Fixed window with block: one atomic round trip per check.
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}
`;

/**
 * Shared throttling counters in Redis, so a limit holds across API
 * instances. If Redis is unreachable the limits keep working per instance
 * (in memory) and the outage is logged: degraded, never down.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly log = new Logger('Throttler');
  private readonly fallback = new ThrottlerStorageService();
  private readonly redis: Redis;
  private degraded = false;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (n) => Math.min(n * 500, 5_000),
    });
    this.redis.on('error', (e) => {
      if (!this.degraded)
        this.log.warn(`Redis unavailable (${e.message}); throttling per instance`);
      this.degraded = true;
    });
    this.redis.on('ready', () => {
      if (this.degraded) this.log.log('Redis is back; throttling shared again');
      this.degraded = false;
    });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<Record_> {
    if (this.redis.status !== 'ready') {
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    try {
      const k = `throttle:${throttlerName}:${key}`;
      const [hits, ttlMs, blockMs] = (await this.redis.eval(
        SCRIPT,
        2,
        k,
        `${k}:blocked`,
        ttl,
        limit,
        blockDuration || ttl,
      )) as number[];
      const isBlocked = blockMs > 0;
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(blockMs / 1000) : 0,
      };
    } catch (e) {
      this.log.warn(`Redis error (${(e as Error).message}); throttling per instance`);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.fallback.onApplicationShutdown();
    this.redis.disconnect();
  }
}
