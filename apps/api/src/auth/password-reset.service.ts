import { BadRequestException, Injectable } from '@nestjs/common';
import type { ForgotPasswordRequest, ResetPasswordRequest } from '@acc/contracts';
import { MailService } from '../mail/mail.service';
import { Db } from '../tenancy/db.service';
import { PasswordResetsRepository } from '../users/password-resets.repository';
import { RESET_TTL_MINUTES, newSecretToken, tokenHash } from '../users/secret-links';
import { UsersRepository } from '../users/users.repository';
import { PasswordService } from './passwords';

const INVALID_TOKEN = 'this link is invalid, expired or already used';
const WITHDRAWN_INVITATION = 'this invitation was withdrawn; ask for a new one';
const ACCOUNT_HAS_PASSWORD =
  'this account already has a password: enter it to accept the invitation';

@Injectable()
export class PasswordResetService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly links: PasswordResetsRepository,
    private readonly passwords: PasswordService,
    private readonly mail: MailService,
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
        purpose: 'reset',
        requesterIp: ip ?? null,
        validFor: { minutes: RESET_TTL_MINUTES },
      });
      return u;
    });
    if (user) {
      this.mail.sendPasswordReset({
        to: user.email,
        fullName: user.fullName,
        token,
        expiresInMinutes: RESET_TTL_MINUTES,
      });
    }
  }

  /**
   * Sets the password, spends the token (single use even under concurrent
   * attempts), and bumps the token version so every older JWT dies. An
   * invitation token also activates the invited membership.
   */
  async reset(body: ResetPasswordRequest): Promise<void> {
    this.passwords.assertAcceptable(body.password);
    const pending = await this.db.transaction({ purpose: 'password-reset' }, () =>
      this.links.pending(tokenHash(body.token)),
    );
    if (!pending) throw new BadRequestException(INVALID_TOKEN);
    // An invitation to an account that has set a password since (it accepted
    // another one) joins with that password: an old invitation mail must not
    // be a way to replace it.
    const joinOnly = pending.purpose === 'invite' && pending.passwordHash !== null;
    if (joinOnly && !(await this.passwords.verify(pending.passwordHash, body.password)))
      throw new BadRequestException(ACCOUNT_HAS_PASSWORD);
    const passwordHash = joinOnly ? null : await this.passwords.hash(body.password);
    const invitedTo = pending.purpose === 'invite' ? pending.tenantId : null;

    await this.db.transaction(
      { userId: pending.userId, tenantId: invitedTo ?? undefined },
      async () => {
        // the membership was removed: the invitation is withdrawn, whatever its link says
        if (invitedTo && !(await this.users.holdMembership(pending.userId)))
          throw new BadRequestException(WITHDRAWN_INVITATION);
        if (!(await this.links.spend(pending.id))) throw new BadRequestException(INVALID_TOKEN);
        if (passwordHash) await this.users.setPassword(pending.userId, passwordHash);
        if (invitedTo) {
          await this.users.activateInvited(pending.userId);
          await this.users.defaultTenant(pending.userId, invitedTo);
        }
        // any other outstanding reset links of this user die with the old password
        if (passwordHash) await this.links.spendResets(pending.userId);
      },
    );
  }
}
