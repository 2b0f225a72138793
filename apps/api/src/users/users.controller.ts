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
import {
  InviteMemberDto,
  MemberDto,
  MemberListDto,
  MemberPageQueryDto,
  UpdateMemberDto,
} from './users.dto';
import { UsersService } from './users.service';

@ApiTags('members')
@AuthenticatedRoute()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Members of the active tenant' })
  @ApiOkResponse({ type: MemberListDto })
  list(@Query() q: MemberPageQueryDto) {
    return this.users.list(q.limit, q.cursor);
  }

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Add an existing user by email, or invite a new one (mails a link)' })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'already a member' })
  invite(@Body() body: InviteMemberDto) {
    return this.users.invite(body);
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOperation({ summary: "Change a member's role or status" })
  @ApiOkResponse({ type: MemberDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description:
      'would leave the tenant without an owner, or would activate an unaccepted invitation',
  })
  update(@Param() p: IdParamDto, @Body() body: UpdateMemberDto) {
    return this.users.update(p.id, body);
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from the tenant' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the last owner cannot leave' })
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.users.remove(p.id);
  }
}
