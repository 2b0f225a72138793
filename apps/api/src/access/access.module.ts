import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { JwtStrategy } from './jwt.strategy';
import { TokenService } from './token.service';

/** Who the caller is: tokens and their verification (the global guard is wired in AppModule). */
@Global()
@Module({
  imports: [PassportModule],
  providers: [TokenService, JwtStrategy],
  exports: [TokenService],
})
export class AccessModule {}
