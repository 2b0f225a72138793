import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuthModule } from '../auth/auth.module';
import { CallsModule } from '../calls/calls.module';
import { LeadsModule } from '../leads/leads.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AuthModule, TenantsModule, UsersModule, AgentsModule, LeadsModule, CallsModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
