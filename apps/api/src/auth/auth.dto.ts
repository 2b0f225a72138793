import { createZodDto } from '../common/zod-dto';
import {
  AuthResponse,
  ForgotPasswordRequest,
  LoginRequest,
  MeResponse,
  ResetLink,
  ResetLinkRequest,
  ResetPasswordRequest,
  SignupRequest,
} from '@acc/contracts';

export class SignupDto extends createZodDto(SignupRequest) {}
export class LoginDto extends createZodDto(LoginRequest) {}
export class AuthResponseDto extends createZodDto(AuthResponse) {}
export class ForgotPasswordDto extends createZodDto(ForgotPasswordRequest) {}
export class ResetPasswordDto extends createZodDto(ResetPasswordRequest) {}
export class ResetLinkRequestDto extends createZodDto(ResetLinkRequest) {}
export class ResetLinkDto extends createZodDto(ResetLink) {}
export class MeResponseDto extends createZodDto(MeResponse) {}
