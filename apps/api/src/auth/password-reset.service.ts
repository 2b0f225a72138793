import { createHash, randomBytes } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import type { ForgotPasswordRequest, ResetPasswordRequest } from '@acc/contracts';
import { MailService } from '../mail/mail.service';
import { Db } from '../tenancy/db.service';
import { PasswordService } from './passwords';

export const RESET_TTL_MINUTES = 60;
export const INVITE_TTL_DAYS = 7;

/** 32 random bytes for the link; only their SHA-256 is stored. */
export function newSecretToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

interface PendingReset {
  id: string;
  userId: string;
  tenantId: string | null;
  purpose: 'reset' | 'invite';
  /** The account's password as it stands: null until one is set. */
  passwordHash: string | null;
}

const INVALID_TOKEN = 'this link is invalid, expired or already used';
const WITHDRAWN_INVITATION = 'this invitation was withdrawn; ask for a new one';
const ACCOUNT_HAS_PASSWORD =
  'this account already has a password: enter it to accept the invitation';

@Injectable()
export class PasswordResetService {
  constructor(
    private readonly db: Db,
    private readonly passwords: PasswordService,
    private readonly mail: MailService,
  ) {}

  /** Always the same answer; a mail goes out only when an active account has this email. */
  async forgot(body: ForgotPasswordRequest, ip: string | undefined): Promise<void> {
    const { token, hash } = newSecretToken();
    const user = await this.db.transaction({ purpose: 'password-reset' }, async () => {
      const [u] = await this.db.query<{ id: string; email: string; fullName: string }>(
        `SELECT id, email, full_name AS "fullName" FROM users
          WHERE lower(email) = $1 AND is_active AND password_hash IS NOT NULL`,
        [body.email],
      );
      if (!u) return undefined;
      await this.db.query(
        `INSERT INTO password_resets (user_id, token_hash, purpose, expires_at, requester_ip)
         VALUES ($1, $2, 'reset', now() + make_interval(mins => $3), $4::inet)`,
        [u.id, hash, RESET_TTL_MINUTES, ip ?? null],
      );
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
    const hash = tokenHash(body.token);
    const pending = await this.db.transaction({ purpose: 'password-reset' }, async () => {
      const [row] = await this.db.query<PendingReset>(
        `SELECT pr.id, pr.user_id AS "userId", pr.invited_tenant_id AS "tenantId", pr.purpose,
                u.password_hash AS "passwordHash"
           FROM password_resets pr JOIN users u ON u.id = pr.user_id
          WHERE pr.token_hash = $1 AND pr.used_at IS NULL AND pr.expires_at > now()`,
        [hash],
      );
      return row;
    });
    if (!pending) throw new BadRequestException(INVALID_TOKEN);
    // An invitation to an account that has set a password since (it accepted
    // another one) joins with that password: an old invitation mail must not
    // be a way to replace it.
    const joinOnly = pending.purpose === 'invite' && pending.passwordHash !== null;
    if (joinOnly && !(await this.passwords.verify(pending.passwordHash, body.password)))
      throw new BadRequestException(ACCOUNT_HAS_PASSWORD);
    const passwordHash = joinOnly ? null : await this.passwords.hash(body.password);

    const scope = { userId: pending.userId, tenantId: pending.tenantId ?? undefined };
    await this.db.transaction(scope, async () => {
      if (pending.purpose === 'invite' && pending.tenantId) {
        // the membership was removed: the invitation is withdrawn, whatever its link says
        const [member] = await this.db.query(
          'SELECT 1 FROM tenant_users WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE',
          [pending.tenantId, pending.userId],
        );
        if (!member) throw new BadRequestException(WITHDRAWN_INVITATION);
      }
      const spent = await this.db.execute(
        `UPDATE password_resets SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`,
        [pending.id],
      );
      if (spent.rowCount !== 1) throw new BadRequestException(INVALID_TOKEN);
      if (passwordHash) {
        await this.db.query(
          `UPDATE users SET password_hash = $2, password_changed_at = now(),
                  token_version = token_version + 1, is_active = true
            WHERE id = $1`,
          [pending.userId, passwordHash],
        );
      }
      if (pending.purpose === 'invite' && pending.tenantId) {
        await this.db.query(
          `UPDATE tenant_users SET status = 'active' WHERE tenant_id = $1 AND user_id = $2 AND status = 'invited'`,
          [pending.tenantId, pending.userId],
        );
        await this.db.query(
          'UPDATE users SET current_tenant_id = coalesce(current_tenant_id, $2) WHERE id = $1',
          [pending.userId, pending.tenantId],
        );
      }
      // any other outstanding reset links of this user die with the old password
      if (passwordHash) {
        await this.db.query(
          `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL AND purpose = 'reset'`,
          [pending.userId],
        );
      }
    });
  }
}
