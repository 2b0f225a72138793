import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

/** Managing the workspace's API keys (the table and the key check are access/'s). */
@Module({
  imports: [UsersModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService],
})
export class ApiKeysModule {}
