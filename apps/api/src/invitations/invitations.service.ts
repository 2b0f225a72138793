import {
  BadRequestException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type {
  AcceptInvitationResponse,
  AcceptInviteRequest,
  AcceptInviteResponse,
  InvitationList,
  LinkedInvitation,
  Role,
  Tenant,
} from '@acc/contracts';
import { TokenService } from '../access/token.service';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../auth/passwords';
import { Db } from '../tenancy/db.service';
import { currentPerson } from '../tenancy/request-context';
import { TenantsRepository } from '../tenants/tenants.repository';
import {
  InvitationProof,
  InvitationsRepository,
  LinkedInvitationRef,
} from '../users/invitations.repository';
import { tokenHash } from '../users/secret-links';
import { UsersRepository } from '../users/users.repository';

const NOT_FOUND = 'invitation not found';
const INVALID_LINK = 'this invitation link is invalid, expired, already used or withdrawn';
const WRONG_PASSWORD = 'this account already has a password: enter it to accept the invitation';

/**
 * The invitee's side of an invitation: only they can turn it into access.
 * Signed in (to any tenant), they answer it by id; from the mailed link,
 * the token names them, and a new account chooses its password while an
 * existing one proves it. Either way every statement runs as the invitee
 * (app.user_id), through the policies that let a user answer their own
 * invitations and nothing else (migration 006).
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly db: Db,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  mine(limit: number, cursor?: string): Promise<InvitationList> {
    return this.invitations.mine(limit, cursor);
  }

  /** A token for the tenant joined, like a switch to it. */
  async accept(id: string): Promise<AcceptInvitationResponse> {
    const { userId } = currentPerson();
    const invitation = await this.invitations.own(id);
    if (!invitation) throw new NotFoundException(NOT_FOUND);
    const { role, tenant } = await this.join(invitation.tenant.id, { id });
    await this.answered(tenant.id, userId, 'accepted');
    const ver = await this.users.switchTenant(userId, tenant.id);
    return { ...this.tokens.issue({ sub: userId, tid: tenant.id, role, ver }), tenant, role };
  }

  async decline(id: string): Promise<void> {
    const invitation = await this.invitations.own(id);
    if (!invitation) throw new NotFoundException(NOT_FOUND);
    await this.answered(invitation.tenant.id, currentPerson().userId, 'declined');
    await this.leave(invitation.tenant.id, { id });
  }

  /** What a mailed link stands for, so the page that opens it can say where it leads. */
  async preview(token: string): Promise<LinkedInvitation> {
    const link = await this.resolve(token);
    return this.db.transaction({ userId: link.userId }, async () => {
      const invitation = await this.invitations.own(link.id);
      const account = await this.users.account({ id: link.userId });
      if (!invitation || !account) throw new BadRequestException(INVALID_LINK);
      return { ...invitation, email: account.email, hasAccount: account.passwordHash !== null };
    });
  }

  /**
   * The mailed link, accepted: a password-less account (made by an
   * invitation) takes the password given; one with a password must be given
   * that password, which it keeps. Answers a session in the tenant joined.
   */
  async acceptLink(body: AcceptInviteRequest): Promise<AcceptInviteResponse> {
    const hash = tokenHash(body.token);
    const link = await this.resolve(body.token);
    const account = await this.db.transaction({ purpose: 'login' }, () =>
      this.users.account({ id: link.userId }),
    );
    if (!account?.isActive) throw new BadRequestException(INVALID_LINK);
    // argon2 runs outside any transaction: no connection waits on it
    let newPasswordHash: string | undefined;
    if (account.passwordHash === null) {
      this.passwords.assertAcceptable(body.password);
      newPasswordHash = await this.passwords.hash(body.password);
    } else if (!(await this.passwords.verify(account.passwordHash, body.password))) {
      throw new UnauthorizedException(WRONG_PASSWORD);
    }
    return this.db.transaction({ userId: link.userId }, async () => {
      const { role, tenant } = await this.join(link.tenantId, { tokenHash: hash });
      await this.answered(tenant.id, link.userId, 'accepted');
      // set in the meantime (a signup claimed the account): never replaced from a link
      if (newPasswordHash && !(await this.users.setFirstPassword(link.userId, newPasswordHash)))
        throw new UnauthorizedException(WRONG_PASSWORD);
      const ver = await this.users.switchTenant(link.userId, tenant.id);
      const user = await this.users.publicUser(link.userId);
      if (!user) throw new BadRequestException(INVALID_LINK);
      const issued = this.tokens.issue({ sub: link.userId, tid: tenant.id, role, ver });
      return { ...issued, user, tenant, role };
    });
  }

  /** The mailed link, declined: no password needed, holding the link is the proof. */
  async declineLink(token: string): Promise<void> {
    const link = await this.resolve(token);
    await this.db.transaction({ userId: link.userId }, async () => {
      await this.answered(link.tenantId, link.userId, 'declined');
      await this.leave(link.tenantId, { tokenHash: tokenHash(token) });
    });
  }

  /** The invitation a token stands for; 400 for a bad, spent, expired or withdrawn one. */
  private async resolve(token: string): Promise<LinkedInvitationRef> {
    const link = await this.db.transaction({ purpose: 'login' }, () =>
      this.invitations.byToken(tokenHash(token)),
    );
    if (!link) throw new BadRequestException(INVALID_LINK);
    return link;
  }

  /**
   * As the invitee: activates the membership, then ends the invitation with
   * the proof given (a resent link's old token fails here, and so does a
   * second use of the same link), in one transaction.
   */
  private async join(
    tenantId: string,
    proof: InvitationProof,
  ): Promise<{ role: Role; tenant: Tenant }> {
    const role = await this.users.activateOwnInvitation(tenantId);
    if (!role || !(await this.invitations.spendOwn(tenantId, proof))) throw this.gone(proof);
    const tenant = await this.tenants.find(tenantId);
    if (tenant?.status !== 'active') throw this.gone(proof);
    return { role, tenant };
  }

  /**
   * As the invitee: ends the invitation, removes the invited membership, and
   * drops an account that invitations made, never claimed, and that is now
   * in no tenant (as when an admin revokes its last invitation).
   */
  private async leave(tenantId: string, proof: InvitationProof): Promise<void> {
    if (!(await this.invitations.spendOwn(tenantId, proof))) throw this.gone(proof);
    await this.users.removeOwnInvitation(tenantId);
    await this.users.dropIfUnclaimed(this.db.userId());
  }

  /**
   * The answer, in the inviting tenant's log, by the invitee, in the
   * transaction of the answer (a decline's before its membership goes: the
   * self_append policy admits a member's own events only).
   */
  private answered(tenantId: string, userId: string, answer: 'accepted' | 'declined') {
    return this.audit.recordFor(
      tenantId,
      { id: userId, fullName: null },
      {
        action: `member.invitation_${answer}`,
        resourceType: 'member',
        resourceId: userId,
        changes: { status: ['invited', answer === 'accepted' ? 'active' : null] },
      },
    );
  }

  /** By id the invitation is the caller's resource (404); by link, the link is bad (400). */
  private gone(proof: InvitationProof): Error {
    return 'id' in proof ? new NotFoundException(NOT_FOUND) : new BadRequestException(INVALID_LINK);
  }
}
