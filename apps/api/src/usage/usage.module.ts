import { Global, Module } from '@nestjs/common';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

@Global()
@Module({ providers: [UsageRepository, UsageService], exports: [UsageService] })
export class UsageModule {}
