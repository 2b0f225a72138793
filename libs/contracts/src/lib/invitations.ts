import { z } from 'zod';
import { AuthResponse } from './auth';
import { IsoDateTime, Password, Role, Uuid, pageOf } from './common';
import { SwitchTenantResponse } from './tenants';

/** A pending invitation as its invitee sees it (GET /invitations). */
export const Invitation = z.object({
  id: Uuid,
  tenant: z.object({ id: Uuid, name: z.string() }),
  role: Role,
  /** the name of who sent it; null when that account is gone */
  invitedBy: z.string().nullable(),
  expiresAt: IsoDateTime,
});
export type Invitation = z.infer<typeof Invitation>;

export const InvitationList = pageOf(Invitation);
export type InvitationList = z.infer<typeof InvitationList>;

/** POST /invitations/:id/accept: a token for the tenant just joined. */
export const AcceptInvitationResponse = SwitchTenantResponse;
export type AcceptInvitationResponse = z.infer<typeof AcceptInvitationResponse>;

/** The secret of a mailed invitation link (its `?token=`). */
export const InvitationToken = z.string().min(16).max(200);

/** POST /auth/invitation and /auth/decline-invite: the link's token, in the body (never a URL). */
export const InvitationTokenRequest = z.strictObject({ token: InvitationToken });
export type InvitationTokenRequest = z.infer<typeof InvitationTokenRequest>;

/**
 * What a mailed link stands for, shown before it is accepted: where, as what,
 * and whether its email signs in with a password it has or chooses one.
 */
export const LinkedInvitation = Invitation.extend({ email: z.string(), hasAccount: z.boolean() });
export type LinkedInvitation = z.infer<typeof LinkedInvitation>;

/** POST /auth/accept-invite: a new account chooses its password, an existing one proves it. */
export const AcceptInviteRequest = z.strictObject({ token: InvitationToken, password: Password });
export type AcceptInviteRequest = z.infer<typeof AcceptInviteRequest>;

/** Signed in to the tenant just joined, like a login. */
export const AcceptInviteResponse = AuthResponse;
export type AcceptInviteResponse = z.infer<typeof AcceptInviteResponse>;
