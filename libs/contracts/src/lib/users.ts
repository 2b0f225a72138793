import { z } from 'zod';
import { Email, IsoDateTime, Role, Uuid, text } from './common';

export const MEMBER_STATUSES = ['invited', 'active', 'disabled'] as const;
export const MemberStatus = z.enum(MEMBER_STATUSES);
export type MemberStatus = z.infer<typeof MemberStatus>;

export const Member = z.object({
  id: Uuid,
  email: z.string(),
  /** while invited: the name the inviter typed, never the account's own */
  fullName: z.string(),
  role: Role,
  status: MemberStatus,
  joinedAt: IsoDateTime,
  /** while invited: when the mailed link stops working (an admin may resend it) */
  invitationExpiresAt: IsoDateTime.nullable(),
});
export type Member = z.infer<typeof Member>;

/**
 * POST /users/:id/invitation/link: a pending invitation's link, for an admin to pass on
 * themselves (a new one: the link mailed before stops working).
 */
export const InvitationLink = z.object({ url: z.string(), expiresAt: IsoDateTime });
export type InvitationLink = z.infer<typeof InvitationLink>;

export const MemberList = z.object({ data: z.array(Member), nextCursor: z.string().nullable() });

export const InviteMemberRequest = z.strictObject({
  email: Email,
  fullName: text(100),
  role: Role,
});
export type InviteMemberRequest = z.infer<typeof InviteMemberRequest>;

/** `status` lets an admin disable a member without removing them. */
export const UpdateMemberRequest = z
  .strictObject({
    role: Role.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((b) => b.role !== undefined || b.status !== undefined, 'give role or status');
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;
