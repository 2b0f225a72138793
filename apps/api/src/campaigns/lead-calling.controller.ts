import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto } from '../common/api-docs';
import { AuthenticatedRoute } from '../common/api-docs';
import { CallNowService } from './call-now.service';
import { IdParamDto } from '../common/id-param.dto';
import { CallDto, CallNowDto, EligibilityDto, EligibilityQueryDto } from './campaigns.dto';
import { EligibilityService } from './eligibility.service';

/** A lead's side of calling: may it be called now, and why not. */
@ApiTags('leads')
@AuthenticatedRoute()
@Controller('api/v1/leads')
export class LeadCallingController {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly callNow: CallNowService,
  ) {}

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

  @Post(':id/call')
  @MinRole('member')
  @HttpCode(202)
  @ApiOperation({
    summary:
      '"Call now": a call to the lead through the workspace\'s dialer, if the calling rules allow it now ' +
      '(overrideWindow, admin+: outside the calling days and window; never a do-not-call number). ' +
      "The agent: agentId, else the lead's, else the workspace's default",
  })
  @ApiAcceptedResponse({ type: CallDto, description: 'the queued call' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'not allowed now: message lists why' })
  call(@Param() p: IdParamDto, @Body() body: CallNowDto) {
    return this.callNow.call(p.id, body);
  }
}
