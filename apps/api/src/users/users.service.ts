import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  type InviteMemberRequest,
  type Member,
  type Page,
  type Role,
  type UpdateMemberRequest,
  roleAtLeast,
} from '@acc/contracts';
import { MailService } from '../mail/mail.service';
import { currentPrincipal } from '../tenancy/request-context';
import { PasswordResetsRepository } from './password-resets.repository';
import { INVITE_TTL_DAYS, newSecretToken } from './secret-links';
import { MemberState, UsersRepository } from './users.repository';

/**
 * Members of the active tenant. Rules: nobody grants a role above their
 * own; only an owner changes or removes an owner; the tenant always keeps
 * at least one active owner (checked under row locks, so two owners
 * demoting each other at once cannot both succeed); an invited membership
 * keeps its status until the invitee accepts or it is removed.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly links: PasswordResetsRepository,
    private readonly mail: MailService,
  ) {}

  list(limit: number, cursor?: string): Promise<Page<Member>> {
    return this.users.members(limit, cursor);
  }

  async invite(body: InviteMemberRequest): Promise<Member> {
    const actor = currentPrincipal();
    if (!roleAtLeast(actor.role, body.role)) {
      throw new ForbiddenException(`you cannot grant the ${body.role} role`);
    }
    const existing = await this.users.holdByEmail(body.email);
    // someone who never set a password (invited elsewhere, not yet accepted) gets an invitation too
    const active = existing?.hasPassword === true;
    const userId =
      existing?.id ?? (await this.users.insert({ email: body.email, fullName: body.fullName }));
    if (!(await this.users.addMember(userId, body.role, active ? 'active' : 'invited')))
      throw new ConflictException('this person is already a member');
    let token: string | undefined;
    if (!active) {
      const secret = newSecretToken();
      token = secret.token;
      await this.links.insert({
        userId,
        tokenHash: secret.hash,
        purpose: 'invite',
        invitedTenantId: actor.tenantId,
        validFor: { days: INVITE_TTL_DAYS },
      });
    }
    const { tenantName, inviterName } = await this.users.invitationContext(actor.userId);
    const member = await this.get(userId);
    this.mail.sendInvitation({
      to: body.email,
      fullName: existing?.fullName ?? body.fullName,
      tenantName,
      inviterName,
      role: body.role,
      token,
      expiresInDays: INVITE_TTL_DAYS,
    });
    return member;
  }

  async get(userId: string): Promise<Member> {
    const m = await this.users.member(userId);
    if (!m) throw new NotFoundException('member not found');
    return m;
  }

  async update(userId: string, body: UpdateMemberRequest): Promise<Member> {
    const actor = currentPrincipal();
    const target = await this.lockMember(userId);
    this.assertMayManage(actor.role, target);
    // Only the invitee's acceptance activates a membership: an admin could otherwise
    // activate a password-less account (e.g. as the "other owner" the last owner needs).
    // The password check covers invitations disabled before this rule existed.
    const activatesNoPassword = body.status === 'active' && !target.hasPassword;
    if ((body.status && target.status === 'invited') || activatesNoPassword) {
      throw new ConflictException(
        'an invitation becomes active only when the invitee accepts it; remove the member to withdraw it',
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
    return this.get(userId);
  }

  async remove(userId: string): Promise<void> {
    const actor = currentPrincipal();
    const target = await this.lockMember(userId);
    this.assertMayManage(actor.role, target);
    if (target.role === 'owner') await this.assertAnotherOwner(userId);
    await this.users.removeMember(userId);
    // a withdrawn invitation's link must not work any more
    await this.links.deleteInvitation(userId, actor.tenantId);
    await this.users.leaveTenant(userId, actor.tenantId);
    // an account made by invitations, never claimed and now in no tenant, goes, so that
    // its email can sign up (it could not sign in or reset a password, and signup says 409)
    await this.users.dropIfUnclaimed(userId);
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
