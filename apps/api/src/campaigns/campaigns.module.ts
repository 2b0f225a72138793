import { Module } from '@nestjs/common';
import { DncController } from './dnc.controller';
import { DncRepository } from './dnc.repository';
import { DncService } from './dnc.service';

/** Campaigns, the dialing engine and the do-not-call list every dispatch checks (issue 14). */
@Module({
  controllers: [DncController],
  providers: [DncRepository, DncService],
})
export class CampaignsModule {}
