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
  InvitationLinkDto,
  InviteMemberDto,
  MemberDto,
  MemberListDto,
  MemberPageQueryDto,
  UpdateMemberDto,
} from './users.dto';
import { UsersService } from './users.service';
import { PeopleOnly } from '../access/people-only.decorator';

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
  @PeopleOnly()
  @ApiOperation({
    operationId: 'inviteUser',
    summary: 'Invite someone by email (mails a link); no access until they accept',
    description:
      'The answer is the same whether or not the email has an account: the member is "invited", with the fullName sent here.',
  })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'already a member or invited' })
  invite(@Body() body: InviteMemberDto) {
    return this.users.invite(body);
  }

  @Patch(':id')
  @MinRole('admin')
  @PeopleOnly()
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

  @Post(':id/invitation/resend')
  @MinRole('admin')
  @PeopleOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mail a pending invitation again: a new link, the old one stops working',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the member is not invited (accepted)' })
  resendInvitation(@Param() p: IdParamDto) {
    return this.users.resendInvitation(p.id);
  }

  @Post(':id/invitation/link')
  @MinRole('admin')
  @PeopleOnly()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A pending invitation as a link to pass on yourself (not mailed): a new link, the old one stops working',
  })
  @ApiOkResponse({ type: InvitationLinkDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the member is not invited (accepted)' })
  invitationLink(@Param() p: IdParamDto) {
    return this.users.invitationLink(p.id);
  }

  @Delete(':id/invitation')
  @MinRole('admin')
  @PeopleOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending invitation: the membership and its link go' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the member is not invited (accepted)' })
  async revokeInvitation(@Param() p: IdParamDto): Promise<void> {
    await this.users.revokeInvitation(p.id);
  }

  @Delete(':id')
  @MinRole('admin')
  @PeopleOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from the tenant' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the last owner cannot leave' })
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.users.remove(p.id);
  }
}
