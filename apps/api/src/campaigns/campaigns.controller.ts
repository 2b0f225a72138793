import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import {
  CampaignDto,
  CampaignLeadPageDto,
  CampaignLeadsQueryDto,
  CampaignListQueryDto,
  CampaignPageDto,
  CreateCampaignDto,
  UpdateCampaignDto,
} from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

const WRONG_STATE = { type: ApiErrorDto, description: "the campaign's status does not allow it" };

@ApiTags('campaigns')
@AuthenticatedRoute()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOperation({
    summary: 'Campaigns, newest first, with their progress; filters status, agentId',
  })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@Query() q: CampaignListQueryDto) {
    return this.campaigns.list(q);
  }

  @Post()
  @MinRole('member')
  @ApiOperation({
    summary:
      "A draft campaign. Left out: agentId is the workspace's default agent, schedule.days and " +
      "schedule.window its calling days and window, schedule.timezone 'lead', retry 3 attempts " +
      'after no answer, busy or failed, 60 min apart',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  create(@Body() body: CreateCampaignDto) {
    return this.campaigns.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign, with its progress' })
  @ApiOkResponse({ type: CampaignDto })
  get(@Param() p: IdParamDto) {
    return this.campaigns.get(p.id);
  }

  @Patch(':id')
  @MinRole('member')
  @ApiOperation({
    summary: 'Change a campaign; its leads only before it starts, nothing once finished',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse(WRONG_STATE)
  update(@Param() p: IdParamDto, @Body() body: UpdateCampaignDto) {
    return this.campaigns.update(p.id, body);
  }

  @Post(':id/start')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({ summary: 'Freeze the lead list and start dialing (from draft)' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse(WRONG_STATE)
  start(@Param() p: IdParamDto) {
    return this.campaigns.start(p.id);
  }

  @Post(':id/pause')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop placing new calls (from running); calls in progress go on' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse(WRONG_STATE)
  pause(@Param() p: IdParamDto) {
    return this.campaigns.pause(p.id);
  }

  @Post(':id/resume')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dial again (from paused)' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse(WRONG_STATE)
  resume(@Param() p: IdParamDto) {
    return this.campaigns.resume(p.id);
  }

  @Post(':id/cancel')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the campaign for good: leads not yet called are skipped' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse(WRONG_STATE)
  cancel(@Param() p: IdParamDto) {
    return this.campaigns.cancel(p.id);
  }

  @Get(':id/leads')
  @ApiOperation({
    summary: "The campaign's leads and where each stands (attempts, last call, next attempt, why)",
  })
  @ApiOkResponse({ type: CampaignLeadPageDto })
  leads(@Param() p: IdParamDto, @Query() q: CampaignLeadsQueryDto) {
    return this.campaigns.leadsOf(p.id, q);
  }
}
