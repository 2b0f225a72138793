import { Body, Controller, Get, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { SkipThrottle } from '@nestjs/throttler';
import { AuthThrottleGuard } from '../throttling/auth-throttle.guard';
import {
  AuthResponseDto,
  ForgotPasswordDto,
  LoginDto,
  MeResponseDto,
  ResetLinkDto,
  ResetLinkRequestDto,
  ResetPasswordDto,
  SignupDto,
} from './auth.dto';
import { AuthService } from './auth.service';
import { PasswordResetService } from './password-reset.service';
import { Public } from '../access/public.decorator';
import { PeopleOnly } from '../access/people-only.decorator';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
  ) {}

  @Post('signup')
  @Public()
  @UseGuards(AuthThrottleGuard)
  @ApiOperation({ summary: 'Create a tenant with the caller as its owner' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'email already registered' })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto })
  signup(@Body() body: SignupDto) {
    return this.auth.signup(body);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthThrottleGuard)
  // per account, sign-in is slowed (LoginSlowdown), never refused: no lockout lever
  @SkipThrottle({ account: true })
  @ApiOperation({ summary: "Sign in; optional tenantId picks one of the caller's tenants" })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({
    type: ApiErrorDto,
    description: 'bad credentials (same answer for unknown emails)',
  })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto })
  login(@Body() body: LoginDto) {
    return this.auth.login(body);
  }

  @Post('forgot-password')
  @Public()
  @HttpCode(202)
  @UseGuards(AuthThrottleGuard)
  @ApiOperation({ summary: 'Mail a single-use reset link (valid 1 h) if the account exists' })
  @ApiAcceptedResponse({ description: 'always, whether or not the email exists' })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto })
  async forgotPassword(@Body() body: ForgotPasswordDto, @Ip() ip: string): Promise<void> {
    await this.resets.forgot(body, ip);
  }

  @Post('reset-password/check')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthThrottleGuard)
  @ApiOperation({
    operationId: 'checkResetLink',
    summary: 'Whether a mailed reset link still works, before a password is typed (spends nothing)',
  })
  @ApiOkResponse({ type: ResetLinkDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'invalid, expired or used token' })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto })
  checkResetLink(@Body() body: ResetLinkRequestDto) {
    return this.resets.check(body.token);
  }

  @Post('reset-password')
  @Public()
  @HttpCode(204)
  @UseGuards(AuthThrottleGuard)
  @ApiOperation({ summary: 'Set a new password with a mailed reset or invitation token' })
  @ApiNoContentResponse({ description: 'password set; the token and every older JWT stop working' })
  @ApiBadRequestResponse({
    type: ApiErrorDto,
    description: 'invalid, expired or used token; weak password',
  })
  @ApiTooManyRequestsResponse({ type: ApiErrorDto })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    await this.resets.reset(body);
  }

  @Get('me')
  @PeopleOnly()
  @AuthenticatedRoute()
  @ApiOperation({ operationId: 'getMe', summary: 'The caller and their memberships' })
  @ApiOkResponse({ type: MeResponseDto })
  me() {
    return this.auth.me();
  }
}
