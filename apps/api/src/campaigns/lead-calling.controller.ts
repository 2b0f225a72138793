import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { EligibilityDto, EligibilityQueryDto } from './campaigns.dto';
import { EligibilityService } from './eligibility.service';

/** A lead's side of calling: may it be called now, and why not. */
@ApiTags('leads')
@AuthenticatedRoute()
@Controller('api/v1/leads')
export class LeadCallingController {
  constructor(private readonly eligibility: EligibilityService) {}

  @Get(':id/eligibility')
  @ApiOperation({
    summary:
      "Whether the lead may be dialed now, every reason it may not, and the earliest time it may: in the campaign's terms " +
      'with campaignId, else in the workspace\'s calling settings (what "Call now" applies)',
  })
  @ApiOkResponse({ type: EligibilityDto })
  check(@Param() p: IdParamDto, @Query() q: EligibilityQueryDto) {
    return this.eligibility.explain(p.id, q.campaignId);
  }
}
