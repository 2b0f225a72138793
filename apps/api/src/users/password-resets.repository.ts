import { Injectable } from '@nestjs/common';
import { Db } from '../tenancy/db.service';
import { PasswordResetEntity } from './password-reset.entity';

/** A reset link not yet used nor expired. */
export interface PendingLink {
  id: string;
  userId: string;
  /** ISO text, as every timestamptz arrives (database/pg-types.ts). */
  expiresAt: string;
}

/** Every statement on password_resets (reset links; invitations have their own table). */
@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    v: Pick<PasswordResetEntity, 'userId' | 'tokenHash' | 'requesterIp'> & {
      validMinutes: number;
    },
  ): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .insert()
      .into(PasswordResetEntity)
      .values({
        userId: v.userId,
        tokenHash: v.tokenHash,
        requesterIp: v.requesterIp,
        // the database clock decides validity, here as when the link is used
        expiresAt: () => `now() + make_interval(mins => ${Number(v.validMinutes)})`,
      })
      .execute();
  }

  async pending(tokenHash: Buffer): Promise<PendingLink | undefined> {
    const [row] = await this.db.query<PendingLink>(
      `SELECT id, user_id AS "userId", expires_at AS "expiresAt" FROM password_resets
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
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
      'UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
  }
}
