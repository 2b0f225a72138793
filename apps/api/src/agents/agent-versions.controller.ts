import { Controller, Get, Param, Post, Query } from '@nestjs/common';
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
  AgentVersionDetailDto,
  AgentVersionListQueryDto,
  AgentVersionPageDto,
  AgentVersionParamsDto,
} from './agents.dto';
import { AgentVersionsService } from './agent-versions.service';

@ApiTags('agents')
@AuthenticatedRoute()
@Controller('api/v1/agents/:id/versions')
export class AgentVersionsController {
  constructor(private readonly versions: AgentVersionsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listAgentVersions',
    summary: "An agent's versions, newest first, each with its changes from the one before",
  })
  @ApiOkResponse({ type: AgentVersionPageDto })
  list(@Param() p: IdParamDto, @Query() q: AgentVersionListQueryDto) {
    return this.versions.list(p.id, q);
  }

  @Get(':version')
  @ApiOperation({
    operationId: 'getAgentVersion',
    summary: 'One version: its whole configuration and its changes from the one before',
  })
  @ApiOkResponse({ type: AgentVersionDetailDto })
  get(@Param() p: AgentVersionParamsDto) {
    return this.versions.get(p.id, p.version);
  }

  @Post(':version/restore')
  @MinRole('member')
  @ApiOperation({
    operationId: 'restoreAgentVersion',
    summary: "Make version n's configuration the agent's again, as a new version (member+)",
  })
  @ApiCreatedResponse({ type: AgentVersionDetailDto, description: 'the new version' })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'the agent has that configuration already',
  })
  restore(@Param() p: AgentVersionParamsDto) {
    return this.versions.restore(p.id, p.version);
  }
}
