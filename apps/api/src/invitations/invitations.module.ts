import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { UsersModule } from '../users/users.module';
import { InvitationLinksController, InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

/** The invitee's side of invitations: listing, accepting, declining, and the mailed link. */
@Module({
  imports: [AuthModule, ThrottlingModule, UsersModule, TenantsModule],
  controllers: [InvitationsController, InvitationLinksController],
  providers: [InvitationsService],
})
export class InvitationsModule {}
