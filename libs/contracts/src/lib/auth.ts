import { z } from 'zod';
import { Email, IsoDateTime, Password, Role, Uuid, text } from './common';
import { Tenant, TenantMembership } from './tenants';

export const User = z.object({
  id: Uuid,
  email: z.string(),
  fullName: z.string(),
  createdAt: IsoDateTime,
});
export type User = z.infer<typeof User>;

export const SignupRequest = z.strictObject({
  tenantName: text(100),
  fullName: text(100),
  email: Email,
  password: Password,
});
export type SignupRequest = z.infer<typeof SignupRequest>;

/** Password is only bounded here: a wrong one gets the same 401 as an unknown email. */
export const LoginRequest = z.strictObject({
  email: Email,
  password: z.string().min(1).max(1024),
  tenantId: Uuid.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const AuthResponse = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  user: User,
  tenant: Tenant,
  role: Role,
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const ForgotPasswordRequest = z.strictObject({ email: Email });
export type ForgotPasswordRequest = z.infer<typeof ForgotPasswordRequest>;

const ResetToken = z.string().min(16).max(200);

/** A mailed reset link's token; invitation links go to POST /auth/accept-invite. */
export const ResetPasswordRequest = z.strictObject({ token: ResetToken, password: Password });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

/** POST /auth/reset-password/check: does a mailed link still work, before a password is typed. */
export const ResetLinkRequest = z.strictObject({ token: ResetToken });
export type ResetLinkRequest = z.infer<typeof ResetLinkRequest>;

/** A working reset link: whose password it sets, and until when. Using it is another request. */
export const ResetLink = z.object({ email: z.string(), expiresAt: IsoDateTime });
export type ResetLink = z.infer<typeof ResetLink>;

export const MeResponse = z.object({
  user: User,
  tenantId: Uuid,
  role: Role,
  memberships: z.array(TenantMembership),
});
export type MeResponse = z.infer<typeof MeResponse>;
