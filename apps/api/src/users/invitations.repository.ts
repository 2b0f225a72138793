import { Injectable } from '@nestjs/common';
import type { Invitation, Page } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import { Db } from '../tenancy/db.service';
import { InvitationEntity } from './invitation.entity';

/** Which invitation a mailed token stands for (valid, not expired). */
export interface LinkedInvitationRef {
  id: string;
  tenantId: string;
  userId: string;
}

/** How the invitee names the invitation they answer: by its id, or by the token of its link. */
export type InvitationProof = { id: string } | { tokenHash: Buffer };

/**
 * Every statement on invitations. An admin's statements are the active
 * tenant's (row-level security); the invitee reads and ends their own in any
 * tenant (policies own_invitations, answer_own_invitation, migration 006).
 */
@Injectable()
export class InvitationsRepository {
  constructor(private readonly db: Db) {}

  /** The active tenant's invitation of a user it just made an invited member. */
  async insert(v: {
    userId: string;
    fullName: string;
    invitedBy: string;
    tokenHash: Buffer;
    validDays: number;
  }): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .insert()
      .into(InvitationEntity)
      .values({
        tenantId: this.db.tenantId(),
        userId: v.userId,
        fullName: v.fullName,
        invitedBy: v.invitedBy,
        tokenHash: v.tokenHash,
        // the database clock decides validity, here as when the link is used
        expiresAt: () => `now() + make_interval(days => ${Number(v.validDays)})`,
      })
      .updateEntity(false)
      .execute();
  }

  /**
   * A new link for a member's invitation: the old token stops working, the
   * expiry starts again. The name the invitation was sent to, or undefined
   * when the member has no invitation.
   */
  async renew(v: {
    userId: string;
    invitedBy: string;
    tokenHash: Buffer;
    validDays: number;
  }): Promise<{ fullName: string; expiresAt: string } | undefined> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .update(InvitationEntity)
      .set({
        tokenHash: v.tokenHash,
        invitedBy: v.invitedBy,
        expiresAt: () => `now() + make_interval(days => ${Number(v.validDays)})`,
      })
      .where('tenant_id = :tenantId AND user_id = :userId', {
        tenantId: this.db.tenantId(),
        userId: v.userId,
      })
      .returning('full_name AS "fullName", expires_at AS "expiresAt"')
      .updateEntity(false)
      .execute();
    return r.raw[0];
  }

  /** The invitation a mailed token stands for, found without any tenant (app_invitation_by_token). */
  async byToken(tokenHash: Buffer): Promise<LinkedInvitationRef | undefined> {
    const [row] = await this.db.query<LinkedInvitationRef>(
      `SELECT id, tenant_id AS "tenantId", user_id AS "userId" FROM app_invitation_by_token($1)`,
      [tokenHash],
    );
    return row;
  }

  /** The caller's pending invitations in every tenant, newest first, one keyset page. */
  async mine(limit: number, cursor?: string): Promise<Page<Invitation>> {
    const where = new Where().after('i', decodeCursor(cursor));
    const rows = await this.db.query<Invitation & { _ts: string }>(
      `${this.ownPending(where)} ORDER BY i.created_at DESC, i.id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(rows, limit);
  }

  /** One of the caller's pending invitations. */
  async own(id: string): Promise<Invitation | undefined> {
    const where = new Where().add('i.id = ?', id);
    const [row] = await this.db.query<Invitation & { _ts: string }>(
      this.ownPending(where),
      where.params,
    );
    if (!row) return undefined;
    const { _ts, ...invitation } = row;
    return invitation;
  }

  /**
   * The live invitations of the transaction's user whose membership is still
   * invited, with their tenant (visible to its invitee: member_tenants) and
   * the name of who sent them. `where` adds to the conditions.
   */
  private ownPending(where: Where): string {
    where.add(`i.user_id = ? AND i.expires_at > now() AND t.status = 'active'`, this.db.userId());
    return `SELECT i.id, json_build_object('id', t.id, 'name', t.name) AS tenant, tu.role,
                   inviter.full_name AS "invitedBy", i.expires_at AS "expiresAt", ${keysetTs('i')}
              FROM invitations i
              JOIN tenant_users tu ON tu.tenant_id = i.tenant_id AND tu.user_id = i.user_id
                                  AND tu.status = 'invited'
              JOIN tenants t ON t.id = i.tenant_id
              LEFT JOIN users inviter ON inviter.id = i.invited_by
             ${where}`;
  }

  /**
   * Ends one of the caller's live invitations (accepted or declined): deleted,
   * so its link stops working. The proof is checked in the same statement: a
   * link resent meanwhile has a new token, and the old one is refused here.
   * false when there was no such invitation.
   */
  async spendOwn(tenantId: string, proof: InvitationProof): Promise<boolean> {
    const by = 'id' in proof ? 'id' : 'token_hash';
    const r = await this.db.execute(
      `DELETE FROM invitations
        WHERE tenant_id = $1 AND user_id = $2 AND ${by} = $3 AND expires_at > now()`,
      [tenantId, this.db.userId(), 'id' in proof ? proof.id : proof.tokenHash],
    );
    return r.rowCount === 1;
  }
}
