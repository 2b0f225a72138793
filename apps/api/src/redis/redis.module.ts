import { Global, Module } from '@nestjs/common';
import { RedisCache } from './redis-cache.service';

@Global()
@Module({ providers: [RedisCache], exports: [RedisCache] })
export class RedisModule {}
