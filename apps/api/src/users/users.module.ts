import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { InvitationsRepository } from './invitations.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [MailModule],
  controllers: [UsersController],
  providers: [UsersRepository, PasswordResetsRepository, InvitationsRepository, UsersService],
  exports: [UsersRepository, PasswordResetsRepository, InvitationsRepository],
})
export class UsersModule {}
