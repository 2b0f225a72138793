import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './passwords';

/** Sign-up, sign-in and password resets: the use cases of identity. */
@Module({
  imports: [MailModule, ThrottlingModule, UsersModule, TenantsModule],
  controllers: [AuthController],
  providers: [PasswordService, AuthService, PasswordResetService],
  exports: [PasswordService],
})
export class AuthModule {}
