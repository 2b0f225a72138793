import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { Env } from '../config/env';

/**
 * A small shared cache in Redis (REDIS_URL), for lookups every instance
 * makes and any instance may invalidate. Without Redis, or while it is
 * unreachable, every call is a miss and the caller reads the database:
 * degraded (and logged once), never failing a request.
 */
@Injectable()
export class RedisCache implements OnModuleDestroy {
  private readonly log = new Logger('Cache');
  private readonly redis: Redis | null;
  private degraded = false;

  constructor(config: ConfigService<Env, true>) {
    const url = config.get('REDIS_URL', { infer: true });
    this.redis = url
      ? new Redis(url, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          keyPrefix: 'acc:',
        })
      : null;
    this.redis?.on('error', (e) => {
      if (!this.degraded)
        this.log.warn(`Redis unavailable (${e.message}); reading through to the database`);
      this.degraded = true;
    });
    this.redis?.on('ready', () => (this.degraded = false));
  }

  async get<T>(key: string): Promise<T | null> {
    if (this.redis?.status !== 'ready') return null;
    try {
      const v = await this.redis.get(key);
      return v === null ? null : (JSON.parse(v) as T);
    } catch {
      return null;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.redis?.status !== 'ready') return;
    await this.redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(() => undefined);
  }

  async del(...keys: string[]): Promise<void> {
    if (this.redis?.status !== 'ready' || keys.length === 0) return;
    await this.redis.del(...keys).catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
