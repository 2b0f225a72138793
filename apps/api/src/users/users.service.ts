import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  type InvitationLink,
  type InviteMemberRequest,
  type Member,
  type Page,
  type Role,
  type UpdateMemberRequest,
  roleAtLeast,
} from '@acc/contracts';
import { MailService } from '../mail/mail.service';
import { currentPerson } from '../tenancy/request-context';
import { InvitationsRepository } from './invitations.repository';
import { INVITE_TTL_DAYS, newSecretToken } from './secret-links';
import { MemberState, UsersRepository } from './users.repository';
import { created, deleted, diff, given } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

/**
 * Members of the active tenant. Rules: nobody grants a role above their
 * own; only an owner changes or removes an owner; the tenant always keeps
 * at least one active owner (checked under row locks, so two owners
 * demoting each other at once cannot both succeed); an invited membership
 * keeps its status until the invitee accepts or declines, or it is revoked.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly invitations: InvitationsRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  list(limit: number, cursor?: string): Promise<Page<Member>> {
    return this.users.members(limit, cursor);
  }

  /**
   * Every invitation is pending until its invitee accepts it, whether or not
   * the email has an account: the answer and the mail are the same either
   * way, and the member shows the name the inviter typed.
   */
  async invite(body: InviteMemberRequest): Promise<Member> {
    const actor = currentPerson();
    if (!roleAtLeast(actor.role, body.role)) {
      throw new ForbiddenException(`you cannot grant the ${body.role} role`);
    }
    const userId = await this.users.holdOrCreate(body.email, body.fullName);
    if (!(await this.users.addMember(userId, body.role, 'invited')))
      throw new ConflictException('this person is already a member or invited');
    const { token, hash } = newSecretToken();
    await this.invitations.insert({
      userId,
      fullName: body.fullName,
      invitedBy: actor.userId,
      tokenHash: hash,
      validDays: INVITE_TTL_DAYS,
    });
    await this.audit.record({
      action: 'member.invited',
      resourceType: 'member',
      resourceId: userId,
      changes: created(body),
    });
    await this.mailInvitation(body.email, body.fullName, body.role, token);
    return this.get(userId);
  }

  /** A new link for a pending invitation, mailed again; the old link stops working. */
  async resendInvitation(userId: string): Promise<Member> {
    const { token, fullName, role } = await this.renewInvitation(userId);
    const member = await this.get(userId);
    await this.audit.record({
      action: 'member.invitation_resent',
      resourceType: 'member',
      resourceId: userId,
    });
    await this.mailInvitation(member.email, fullName, role, token);
    return member;
  }

  /**
   * A new link for a pending invitation, answered to the admin to pass on
   * (chat, a call) instead of mailed; the old link stops working. The token
   * is in this answer only: only its SHA-256 is stored, as for a mailed one.
   */
  async invitationLink(userId: string): Promise<InvitationLink> {
    const { token, expiresAt } = await this.renewInvitation(userId);
    await this.audit.record({
      action: 'member.invitation_link_created',
      resourceType: 'member',
      resourceId: userId,
    });
    return { url: this.mail.inviteLink(token), expiresAt };
  }

  /** A new token (and expiry) for a pending invitation the caller may manage. */
  private async renewInvitation(userId: string) {
    const target = await this.lockInvited(userId);
    const { token, hash } = newSecretToken();
    const renewed = await this.invitations.renew({
      userId,
      invitedBy: currentPerson().userId,
      tokenHash: hash,
      validDays: INVITE_TTL_DAYS,
    });
    if (!renewed) throw new NotFoundException('member not found');
    return { token, role: target.role, ...renewed };
  }

  /**
   * Withdraws a pending invitation, and only that: a member who accepted
   * meanwhile stays (409), where removing the member would remove them.
   */
  async revokeInvitation(userId: string): Promise<void> {
    const target = await this.lockInvited(userId);
    await this.removeMembership(userId);
    await this.audit.record({
      action: 'member.invitation_revoked',
      resourceType: 'member',
      resourceId: userId,
      changes: deleted(target, ['role', 'status']),
    });
  }

  private async mailInvitation(
    to: string,
    fullName: string,
    role: Role,
    token: string,
  ): Promise<void> {
    const { tenantName, inviterName } = await this.users.invitationContext(currentPerson().userId);
    this.mail.sendInvitation({
      to,
      fullName,
      tenantName,
      inviterName,
      role,
      token,
      expiresInDays: INVITE_TTL_DAYS,
    });
  }

  async get(userId: string): Promise<Member> {
    const m = await this.users.member(userId);
    if (!m) throw new NotFoundException('member not found');
    return m;
  }

  async update(userId: string, body: UpdateMemberRequest): Promise<Member> {
    const actor = currentPerson();
    const target = await this.lockMember(userId);
    this.assertMayManage(actor.role, target);
    // Only the invitee's acceptance activates a membership: an admin could otherwise
    // activate a password-less account (e.g. as the "other owner" the last owner needs).
    // The password check covers invitations disabled before this rule existed.
    const activatesNoPassword = body.status === 'active' && !target.hasPassword;
    if ((body.status && target.status === 'invited') || activatesNoPassword) {
      throw new ConflictException(
        'an invitation becomes active only when the invitee accepts it; revoke it to withdraw it',
      );
    }
    if (body.role && !roleAtLeast(actor.role, body.role)) {
      throw new ForbiddenException(`you cannot grant the ${body.role} role`);
    }
    const losesOwner =
      target.role === 'owner' &&
      ((body.role && body.role !== 'owner') || body.status === 'disabled');
    if (losesOwner) await this.assertAnotherOwner(userId);
    await this.users.updateMember(userId, { role: body.role, status: body.status });
    const changes = diff(target, body, given(body));
    if (Object.keys(changes).length)
      await this.audit.record({
        // a role change is the event admins look for; a status change alone is an update
        action: changes['role'] ? 'member.role_changed' : 'member.updated',
        resourceType: 'member',
        resourceId: userId,
        changes,
      });
    return this.get(userId);
  }

  async remove(userId: string): Promise<void> {
    const actor = currentPerson();
    const target = await this.lockMember(userId);
    this.assertMayManage(actor.role, target);
    if (target.role === 'owner') await this.assertAnotherOwner(userId);
    await this.removeMembership(userId);
    await this.audit.record({
      action: 'member.removed',
      resourceType: 'member',
      resourceId: userId,
      changes: deleted(target, ['role', 'status']),
    });
  }

  /** With the membership locked and the rules checked: removes it, and its invitation with it. */
  private async removeMembership(userId: string): Promise<void> {
    await this.users.removeMember(userId);
    await this.users.leaveTenant(userId, currentPerson().tenantId);
    // an account made by invitations, never claimed and now in no tenant, goes, so that
    // its email can sign up (it could not sign in or reset a password, and signup says 409)
    await this.users.dropIfUnclaimed(userId);
  }

  /** A member whose invitation is pending, locked; an owner's only by an owner. */
  private async lockInvited(userId: string): Promise<MemberState> {
    const target = await this.lockMember(userId);
    this.assertMayManage(currentPerson().role, target);
    if (target.status !== 'invited')
      throw new ConflictException('this member is not invited: the invitation was accepted');
    return target;
  }

  private async lockMember(userId: string): Promise<MemberState> {
    const m = await this.users.lockMember(userId);
    if (!m) throw new NotFoundException('member not found');
    return m;
  }

  private assertMayManage(actorRole: Role, target: MemberState): void {
    if (target.role === 'owner' && actorRole !== 'owner') {
      throw new ForbiddenException('only an owner can change or remove an owner');
    }
  }

  /** With every owner row locked, requires an active owner besides userId. */
  private async assertAnotherOwner(userId: string): Promise<void> {
    const owners = await this.users.lockOwners();
    if (!owners.some((o) => o !== userId)) {
      throw new ConflictException('the last owner cannot be removed, demoted or disabled');
    }
  }
}
