import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { ReadReplica } from '../tenancy/read-replica.decorator';
import { CallStatsService } from './call-stats.service';
import {
  CallDto,
  CallListQueryDto,
  CallPageDto,
  CallStatsDto,
  CallStatsQueryDto,
  CreateCallDto,
  UpdateCallDto,
} from './calls.dto';
import { CallsService } from './calls.service';

@ApiTags('calls')
@AuthenticatedRoute()
@Controller('api/v1/calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly statsService: CallStatsService,
  ) {}

  @Get()
  @ReadReplica()
  @ApiOperation({
    summary:
      'Calls, newest first or by `sort`; filters status, direction, agentId, leadId, from/to (created, ISO); `total` on page 1',
  })
  @ApiOkResponse({ type: CallPageDto })
  list(@Query() q: CallListQueryDto) {
    return this.calls.list(q);
  }

  @Get('stats')
  @ReadReplica()
  @ApiOperation({
    operationId: 'getCallStats',
    summary: 'Totals, by status, outcome, agent and day (tenant time zone); default: last 30 days',
  })
  @ApiOkResponse({ type: CallStatsDto })
  stats(@Query() q: CallStatsQueryDto) {
    return this.statsService.stats(q);
  }

  @Post()
  @MinRole('member')
  @ApiOperation({
    summary: 'Record a call; the same provider + providerCallId returns the existing call (200)',
  })
  @ApiCreatedResponse({ type: CallDto, description: 'created' })
  @ApiOkResponse({ type: CallDto, description: 'already recorded for this provider call id' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the agent is archived' })
  async create(@Body() body: CreateCallDto, @Res({ passthrough: true }) res: FastifyReply) {
    const { call, created } = await this.calls.create(body);
    res.status(created ? 201 : 200);
    return call;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One call, with its transcript' })
  @ApiOkResponse({ type: CallDto })
  get(@Param() p: IdParamDto) {
    return this.calls.get(p.id);
  }

  @Patch(':id')
  @MinRole('member')
  @ApiOperation({
    summary: 'Update outcome fields or advance the status (illegal transitions: 409)',
  })
  @ApiOkResponse({ type: CallDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'illegal status transition' })
  update(@Param() p: IdParamDto, @Body() body: UpdateCallDto) {
    return this.calls.update(p.id, body);
  }
}
