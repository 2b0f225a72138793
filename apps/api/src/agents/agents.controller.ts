import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { ReadReplica } from '../tenancy/read-replica.decorator';
import {
  AgentDto,
  AgentListQueryDto,
  AgentPageDto,
  CreateAgentDto,
  UpdateAgentDto,
} from './agents.dto';
import { AgentsService } from './agents.service';

@ApiTags('agents')
@AuthenticatedRoute()
@Controller('api/v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ReadReplica()
  @ApiOperation({
    summary:
      'Agents, newest first or by `sort`; filter by status, search by name (q); `total` on page 1',
  })
  @ApiOkResponse({ type: AgentPageDto })
  list(@Query() q: AgentListQueryDto) {
    return this.agents.list(q);
  }

  @Post()
  @ApiOperation({ summary: 'Create an agent (member+)' })
  @MinRole('member')
  @ApiCreatedResponse({ type: AgentDto })
  create(@Body() body: CreateAgentDto) {
    return this.agents.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent' })
  @ApiOkResponse({ type: AgentDto })
  get(@Param() p: IdParamDto) {
    return this.agents.get(p.id);
  }

  @Patch(':id')
  @MinRole('member')
  @ApiOperation({ summary: 'Change any subset of fields (pause, archive: status)' })
  @ApiOkResponse({ type: AgentDto })
  update(@Param() p: IdParamDto, @Body() body: UpdateAgentDto) {
    return this.agents.update(p.id, body);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete an agent that has no calls (409 otherwise; archive it instead)',
  })
  @MinRole('member')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'the agent has calls or campaigns: archive it instead',
  })
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.agents.remove(p.id);
  }
}
