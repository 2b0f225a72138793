import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ApiKeyUsage } from './api-key-usage.service';
import { ApiKeysRepository } from './api-keys.repository';
import { JwtStrategy } from './jwt.strategy';
import { TokenService } from './token.service';

/**
 * Who the caller is: tokens, API keys and their verification (the global
 * guard is wired in AppModule). Owns api_keys: the api-keys feature manages
 * them through the exported repository.
 */
@Global()
@Module({
  imports: [PassportModule],
  providers: [TokenService, JwtStrategy, ApiKeysRepository, ApiKeyUsage],
  exports: [TokenService, ApiKeysRepository, ApiKeyUsage],
})
export class AccessModule {}
