import { Injectable } from '@nestjs/common';
import { Db } from '../tenancy/db.service';
import { PasswordResetEntity } from './password-reset.entity';

/** A link not yet used nor expired, with the account's password as it stands (null until one is set). */
export interface PendingLink {
  id: string;
  userId: string;
  tenantId: string | null;
  purpose: 'reset' | 'invite';
  passwordHash: string | null;
}

/** Every statement on password_resets (reset links and invitation links). */
@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    v: Pick<PasswordResetEntity, 'userId' | 'tokenHash' | 'purpose'> & {
      invitedTenantId?: string;
      requesterIp?: string | null;
      validFor: { minutes: number } | { days: number };
    },
  ): Promise<void> {
    const valid =
      'minutes' in v.validFor ? `mins => ${v.validFor.minutes}` : `days => ${v.validFor.days}`;
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .insert()
      .into(PasswordResetEntity)
      .values({
        userId: v.userId,
        tokenHash: v.tokenHash,
        purpose: v.purpose,
        invitedTenantId: v.invitedTenantId ?? null,
        requesterIp: v.requesterIp ?? null,
        // the database clock decides validity, here as when the link is used
        expiresAt: () => `now() + make_interval(${valid})`,
      })
      .execute();
  }

  async pending(tokenHash: Buffer): Promise<PendingLink | undefined> {
    const [row] = await this.db.query<PendingLink>(
      `SELECT pr.id, pr.user_id AS "userId", pr.invited_tenant_id AS "tenantId", pr.purpose,
              u.password_hash AS "passwordHash"
         FROM password_resets pr JOIN users u ON u.id = pr.user_id
        WHERE pr.token_hash = $1 AND pr.used_at IS NULL AND pr.expires_at > now()`,
      [tokenHash],
    );
    return row;
  }

  /** Single use, even under concurrent attempts: false when it was spent (or expired) meanwhile. */
  async spend(id: string): Promise<boolean> {
    const r = await this.db.execute(
      `UPDATE password_resets SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`,
      [id],
    );
    return r.rowCount === 1;
  }

  /** Outstanding reset links of a user die with the old password. */
  async spendResets(userId: string): Promise<void> {
    await this.db.query(
      `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL AND purpose = 'reset'`,
      [userId],
    );
  }

  /** A withdrawn invitation's link must not work any more. */
  async deleteInvitation(userId: string, tenantId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM password_resets
        WHERE user_id = $1 AND invited_tenant_id = $2 AND purpose = 'invite' AND used_at IS NULL`,
      [userId, tenantId],
    );
  }
}
