import { Module } from '@nestjs/common';
import { LeadTransferService } from './lead-transfer.service';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController],
  providers: [LeadsService, LeadTransferService],
  exports: [LeadsService],
})
export class LeadsModule {}
