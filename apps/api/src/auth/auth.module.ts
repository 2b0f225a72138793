import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { MailModule } from '../mail/mail.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './passwords';
import { TokenService } from './token.service';

@Module({
  imports: [PassportModule, MailModule, ThrottlingModule],
  controllers: [AuthController],
  providers: [TokenService, JwtStrategy, PasswordService, AuthService, PasswordResetService],
  exports: [TokenService, PasswordService, AuthService, PasswordResetService],
})
export class AuthModule {}
