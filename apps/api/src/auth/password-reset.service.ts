import { BadRequestException, Injectable } from '@nestjs/common';
import {
  AUDIT_SECRET_CHANGED,
  type ForgotPasswordRequest,
  type ResetLink,
  type ResetPasswordRequest,
} from '@acc/contracts';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { Db } from '../tenancy/db.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { PasswordResetsRepository } from '../users/password-resets.repository';
import { RESET_TTL_MINUTES, newSecretToken, tokenHash } from '../users/secret-links';
import { UsersRepository } from '../users/users.repository';
import { PasswordService } from './passwords';

const INVALID_TOKEN = 'this link is invalid, expired or already used';

@Injectable()
export class PasswordResetService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly links: PasswordResetsRepository,
    private readonly passwords: PasswordService,
    private readonly mail: MailService,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Always the same answer; a mail goes out only when an active account has this email. */
  async forgot(body: ForgotPasswordRequest, ip: string | undefined): Promise<void> {
    const { token, hash } = newSecretToken();
    const user = await this.db.transaction({ purpose: 'password-reset' }, async () => {
      const u = await this.users.account({ email: body.email });
      if (!u || !u.isActive || u.passwordHash === null) return undefined;
      await this.links.insert({
        userId: u.id,
        tokenHash: hash,
        requesterIp: ip ?? null,
        validMinutes: RESET_TTL_MINUTES,
      });
      return u;
    });
    if (user) {
      // the account's current tenant's security event, in the background like a failed
      // sign-in's: a known email answers in the same time as an unknown one
      if (user.currentTenantId)
        this.audit.securityInBackground(user.currentTenantId, user, {
          action: 'auth.password_reset_requested',
          resourceType: 'user',
          resourceId: user.id,
        });
      this.mail.sendPasswordReset({
        to: user.email,
        fullName: user.fullName,
        token,
        expiresInMinutes: RESET_TTL_MINUTES,
      });
    }
  }

  /**
   * Whether a mailed link still works, so the page says so before a password is typed. Spends
   * nothing; the same refusal as reset() for an unknown, used or expired link.
   */
  async check(token: string): Promise<ResetLink> {
    const link = await this.db.transaction({ purpose: 'password-reset' }, async () => {
      const pending = await this.links.pending(tokenHash(token));
      const user = pending ? await this.users.account({ id: pending.userId }) : undefined;
      return pending && user?.isActive ? { email: user.email, expiresAt: pending.expiresAt } : null;
    });
    if (!link) throw new BadRequestException(INVALID_TOKEN);
    return link;
  }

  /**
   * Sets the password, spends the token (single use even under concurrent
   * attempts), and bumps the token version so every older JWT dies. Reset
   * links only: an invitation's link is answered by POST /auth/accept-invite.
   */
  async reset(body: ResetPasswordRequest): Promise<void> {
    this.passwords.assertAcceptable(body.password);
    const pending = await this.db.transaction({ purpose: 'password-reset' }, () =>
      this.links.pending(tokenHash(body.token)),
    );
    if (!pending) throw new BadRequestException(INVALID_TOKEN);
    const passwordHash = await this.passwords.hash(body.password);
    await this.db.transaction({ userId: pending.userId }, async () => {
      if (!(await this.links.spend(pending.id))) throw new BadRequestException(INVALID_TOKEN);
      await this.users.setPassword(pending.userId, passwordHash);
      // any other outstanding reset links of this user die with the old password
      await this.links.spendResets(pending.userId);
      await this.recordReset(pending.userId);
    });
  }

  /**
   * The reset, as a security event of the account's current tenant (else its
   * first): in a tenant it is an active member of, so that the self_append
   * policy admits it; an account in no tenant has no log to write to.
   */
  private async recordReset(userId: string): Promise<void> {
    const account = await this.users.account({ id: userId });
    const tenants = await this.tenants.ofUser();
    const t = tenants.find((m) => m.tenant.id === account?.currentTenantId) ?? tenants[0];
    if (account && t)
      await this.audit.recordFor(t.tenant.id, account, {
        action: 'auth.password_reset',
        resourceType: 'user',
        resourceId: userId,
        changes: { password: AUDIT_SECRET_CHANGED },
      });
  }
}
