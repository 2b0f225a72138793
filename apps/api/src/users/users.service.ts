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
import { INVITE_TTL_DAYS, newSecretToken } from '../auth/password-reset.service';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import { MailService } from '../mail/mail.service';
import { Db } from '../tenancy/db.service';
import { currentPrincipal } from '../tenancy/request-context';

const MEMBER_COLUMNS = `u.id, u.email, u.full_name AS "fullName", tu.role, tu.status, tu.created_at AS "joinedAt"`;

interface MemberRow {
  role: Role;
  status: Member['status'];
  hasPassword: boolean;
}

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
    private readonly db: Db,
    private readonly mail: MailService,
  ) {}

  async list(limit: number, cursor?: string): Promise<Page<Member>> {
    const where = new Where()
      .add('tu.tenant_id = ?', this.db.tenantId())
      .after('tu', decodeCursor(cursor), 'user_id');
    const rows = await this.db.query<Member & { _ts: string }>(
      `SELECT ${MEMBER_COLUMNS}, ${keysetTs('tu')}
         FROM tenant_users tu JOIN users u ON u.id = tu.user_id
         ${where} ORDER BY tu.created_at DESC, tu.user_id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(rows, limit);
  }

  async invite(body: InviteMemberRequest): Promise<Member> {
    const actor = currentPrincipal();
    if (!roleAtLeast(actor.role, body.role)) {
      throw new ForbiddenException(`you cannot grant the ${body.role} role`);
    }
    const tenantId = this.db.tenantId();
    // the lock keeps a concurrent withdrawal elsewhere from deleting this account
    // (app_drop_unclaimed_user) between this read and the new membership
    const [existing] = await this.db.query<{ id: string; fullName: string; hasPassword: boolean }>(
      `SELECT id, full_name AS "fullName", password_hash IS NOT NULL AS "hasPassword"
         FROM users WHERE lower(email) = $1 FOR KEY SHARE`,
      [body.email],
    );
    // someone who never set a password (invited elsewhere, not yet accepted) gets an invitation too
    const active = existing?.hasPassword === true;
    let userId: string;
    let token: string | undefined;
    if (existing) {
      userId = existing.id;
    } else {
      const [created] = await this.db.query<{ id: string }>(
        `INSERT INTO users (email, full_name) VALUES ($1, $2) RETURNING id`,
        [body.email, body.fullName],
      );
      userId = created.id;
    }
    const inserted = await this.db.execute(
      `INSERT INTO tenant_users (tenant_id, user_id, role, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, user_id) DO NOTHING`,
      [tenantId, userId, body.role, active ? 'active' : 'invited'],
    );
    if (inserted.rowCount === 0) throw new ConflictException('this person is already a member');
    if (!active) {
      const secret = newSecretToken();
      token = secret.token;
      await this.db.query(
        `INSERT INTO password_resets (user_id, token_hash, purpose, invited_tenant_id, expires_at)
         VALUES ($1, $2, 'invite', $3, now() + make_interval(days => $4))`,
        [userId, secret.hash, tenantId, INVITE_TTL_DAYS],
      );
    }
    // one connection per transaction: these run one after another
    const [tenant] = await this.db.query<{ name: string }>(
      'SELECT name FROM tenants WHERE id = $1',
      [tenantId],
    );
    const [inviter] = await this.db.query<{ fullName: string }>(
      'SELECT full_name AS "fullName" FROM users WHERE id = $1',
      [actor.userId],
    );
    const member = await this.get(userId);
    this.mail.sendInvitation({
      to: body.email,
      fullName: existing?.fullName ?? body.fullName,
      tenantName: tenant.name,
      inviterName: inviter.fullName,
      role: body.role,
      token,
      expiresInDays: INVITE_TTL_DAYS,
    });
    return member;
  }

  async get(userId: string): Promise<Member> {
    const [m] = await this.db.query<Member>(
      `SELECT ${MEMBER_COLUMNS} FROM tenant_users tu JOIN users u ON u.id = tu.user_id
        WHERE tu.tenant_id = $1 AND tu.user_id = $2`,
      [this.db.tenantId(), userId],
    );
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
    await this.db.query(
      `UPDATE tenant_users SET role = coalesce($3, role), status = coalesce($4, status)
        WHERE tenant_id = $1 AND user_id = $2`,
      [this.db.tenantId(), userId, body.role ?? null, body.status ?? null],
    );
    return this.get(userId);
  }

  async remove(userId: string): Promise<void> {
    const actor = currentPrincipal();
    const target = await this.lockMember(userId);
    this.assertMayManage(actor.role, target);
    if (target.role === 'owner') await this.assertAnotherOwner(userId);
    await this.db.query('DELETE FROM tenant_users WHERE tenant_id = $1 AND user_id = $2', [
      this.db.tenantId(),
      userId,
    ]);
    // a withdrawn invitation's link must not work any more
    await this.db.query(
      `DELETE FROM password_resets
        WHERE user_id = $1 AND invited_tenant_id = $2 AND purpose = 'invite' AND used_at IS NULL`,
      [userId, this.db.tenantId()],
    );
    await this.db.query(
      'UPDATE users SET current_tenant_id = NULL WHERE id = $1 AND current_tenant_id = $2',
      [userId, this.db.tenantId()],
    );
    // an account made by invitations, never claimed and now in no tenant, goes, so that
    // its email can sign up (it could not sign in or reset a password, and signup says 409)
    await this.db.query('SELECT app_drop_unclaimed_user($1)', [userId]);
  }

  private async lockMember(userId: string): Promise<MemberRow> {
    const [m] = await this.db.query<MemberRow>(
      `SELECT tu.role, tu.status, u.password_hash IS NOT NULL AS "hasPassword"
         FROM tenant_users tu JOIN users u ON u.id = tu.user_id
        WHERE tu.tenant_id = $1 AND tu.user_id = $2 FOR UPDATE OF tu`,
      [this.db.tenantId(), userId],
    );
    if (!m) throw new NotFoundException('member not found');
    return m;
  }

  private assertMayManage(actorRole: Role, target: MemberRow): void {
    if (target.role === 'owner' && actorRole !== 'owner') {
      throw new ForbiddenException('only an owner can change or remove an owner');
    }
  }

  /** Locks every owner row of the tenant, then requires one besides userId. */
  private async assertAnotherOwner(userId: string): Promise<void> {
    const owners = await this.db.query<{ userId: string }>(
      `SELECT user_id AS "userId" FROM tenant_users
        WHERE tenant_id = $1 AND role = 'owner' AND status = 'active' FOR UPDATE`,
      [this.db.tenantId()],
    );
    if (!owners.some((o) => o.userId !== userId)) {
      throw new ConflictException('the last owner cannot be removed, demoted or disabled');
    }
  }
}
