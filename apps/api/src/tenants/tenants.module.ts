import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TenantDomainController, TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [AuthModule],
  controllers: [TenantsController, TenantDomainController],
  providers: [TenantsService],
  exports: [TenantsService],
})
export class TenantsModule {}
