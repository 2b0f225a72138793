import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../access/public.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { AuthThrottleGuard } from '../throttling/auth-throttle.guard';
import {
  AcceptInvitationResponseDto,
  AcceptInviteDto,
  AcceptInviteResponseDto,
  InvitationListDto,
  InvitationPageQueryDto,
  InvitationTokenDto,
  LinkedInvitationDto,
} from './invitations.dto';
import { InvitationsService } from './invitations.service';
import { PeopleOnly } from '../access/people-only.decorator';

/** The signed-in invitee's pending invitations, in every tenant. */
@ApiTags('invitations')
@AuthenticatedRoute()
@PeopleOnly()
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's pending invitations (any tenant), newest first" })
  @ApiOkResponse({ type: InvitationListDto })
  list(@Query() q: InvitationPageQueryDto) {
    return this.invitations.mine(q.limit, q.cursor);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'acceptInvitation',
    summary: 'Join the tenant: answers a token for it',
  })
  @ApiOkResponse({ type: AcceptInvitationResponseDto })
  accept(@Param() p: IdParamDto) {
    return this.invitations.accept(p.id);
  }

  @Post(':id/decline')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'declineInvitation',
    summary: 'Decline: the pending membership goes',
  })
  @ApiNoContentResponse()
  async decline(@Param() p: IdParamDto): Promise<void> {
    await this.invitations.decline(p.id);
  }
}

/** The mailed link: public, so in a controller of its own (no bearer auth documented). */
@ApiTags('invitations')
@Public()
@UseGuards(AuthThrottleGuard)
@ApiBadRequestResponse({
  type: ApiErrorDto,
  description: 'invalid, expired, used or withdrawn link; invalid input',
})
@ApiTooManyRequestsResponse({ type: ApiErrorDto })
@Controller('api/v1/auth')
export class InvitationLinksController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('invitation')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'previewInvitation',
    summary:
      'What a mailed invitation link stands for (the token travels in the body, never a URL)',
  })
  @ApiOkResponse({ type: LinkedInvitationDto })
  preview(@Body() body: InvitationTokenDto) {
    return this.invitations.preview(body.token);
  }

  @Post('accept-invite')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Accept from the mailed link: a new account sets its password, an existing one proves it; signs in',
  })
  @ApiOkResponse({ type: AcceptInviteResponseDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto, description: "not the account's password" })
  acceptInvite(@Body() body: AcceptInviteDto) {
    return this.invitations.acceptLink(body);
  }

  @Post('decline-invite')
  @HttpCode(204)
  @ApiOperation({ summary: 'Decline from the mailed link' })
  @ApiNoContentResponse()
  async declineInvite(@Body() body: InvitationTokenDto): Promise<void> {
    await this.invitations.declineLink(body.token);
  }
}
