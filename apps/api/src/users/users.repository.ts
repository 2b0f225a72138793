import { ConflictException, Injectable } from '@nestjs/common';
import type { Member, Page, Role, User } from '@acc/contracts';
import { Where, decodeCursor, keysetTs, toPage } from '../common/pagination';
import type { EntitySql } from '../database/entity-sql';
import { Db } from '../tenancy/db.service';
import { InvitationEntity } from './invitation.entity';
import { MembershipEntity } from './membership.entity';
import { UserEntity } from './user.entity';

/** What the sign-in rules need of an account, beyond its public fields. */
export interface Account extends User {
  passwordHash: string | null;
  isActive: boolean;
  tokenVersion: number;
  currentTenantId: string | null;
}

export interface MemberState {
  role: Role;
  status: Member['status'];
  hasPassword: boolean;
}

/** Memberships with their account and, while invited, their invitation. */
const MEMBERS = `tenant_users tu JOIN users u ON u.id = tu.user_id
  LEFT JOIN invitations i ON i.tenant_id = tu.tenant_id AND i.user_id = tu.user_id`;

const ACCOUNT = `u.id, u.email, u.full_name AS "fullName", u.created_at AS "createdAt",
  u.password_hash AS "passwordHash", u.is_active AS "isActive", u.token_version AS "tokenVersion",
  u.current_tenant_id AS "currentTenantId"`;

/**
 * Every statement on users and tenant_users (memberships), on the current
 * transaction: accounts are global, memberships are the active tenant's
 * (row-level security), except a user reading their own.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get u(): EntitySql<UserEntity> {
    return this.db.sql(UserEntity, 'u');
  }

  private get tu(): EntitySql<MembershipEntity> {
    return this.db.sql(MembershipEntity, 'tu');
  }

  private get i(): EntitySql<InvitationEntity> {
    return this.db.sql(InvitationEntity, 'i');
  }

  // ---- accounts

  async account(where: { email: string } | { id: string }): Promise<Account | undefined> {
    const [row] = await this.db.query<Account>(
      'email' in where
        ? `SELECT ${ACCOUNT} FROM users u WHERE lower(u.email) = $1`
        : `SELECT ${ACCOUNT} FROM users u WHERE u.id = $1`,
      ['email' in where ? where.email : where.id],
    );
    return row;
  }

  async publicUser(id: string): Promise<User | undefined> {
    const m = await this.db.manager();
    return m
      .createQueryBuilder(UserEntity, 'u')
      .select(this.u.selectList())
      .where('u.id = :id', { id })
      .getRawOne<User>();
  }

  /**
   * The account of an email, made (without a password) when there is none,
   * and held (FOR KEY SHARE) until the transaction ends, so that a concurrent
   * withdrawal elsewhere (app_drop_unclaimed_user) cannot delete it before its
   * new membership exists. Concurrent invitations of one new email share one
   * account: an insert that loses the race finds the winner's row instead.
   */
  async holdOrCreate(email: string, fullName: string): Promise<string> {
    // a third miss means the row keeps being made and dropped under us: give up
    for (let attempt = 0; attempt < 3; attempt++) {
      const [held] = await this.db.query<{ id: string }>(
        'SELECT id FROM users WHERE lower(email) = $1 FOR KEY SHARE',
        [email],
      );
      if (held) return held.id;
      const m = await this.db.manager();
      const r = await m
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ email, fullName })
        .orIgnore()
        .returning('id')
        .updateEntity(false)
        .execute();
      if (r.raw[0]) return r.raw[0].id;
    }
    throw new ConflictException('conflicting concurrent update, retry');
  }

  /**
   * A new account with a password, or the claim of one an invitation created
   * and nobody claimed (no password yet): an invitation must not hold an
   * email hostage. `reclaim` also replaces a set password (the demo login).
   * undefined when the email has an account with a password (and !reclaim).
   */
  async insertOrClaim(
    v: {
      id: string;
      email: string;
      passwordHash: string;
      fullName: string;
      currentTenantId: string;
    },
    reclaim = false,
  ): Promise<(User & { tokenVersion: number }) | undefined> {
    const [user] = await this.db.query<User & { tokenVersion: number }>(
      `INSERT INTO users AS u (id, email, password_hash, full_name, current_tenant_id, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT ((lower(email))) DO UPDATE
          SET password_hash = EXCLUDED.password_hash, full_name = EXCLUDED.full_name,
              current_tenant_id = EXCLUDED.current_tenant_id, password_changed_at = now(),
              token_version = u.token_version + 1
        WHERE u.password_hash IS NULL OR $6
       RETURNING ${this.u.selectList()}, u.token_version AS "tokenVersion"`,
      [v.id, v.email, v.passwordHash, v.fullName, v.currentTenantId, reclaim],
    );
    return user;
  }

  /** Sets a password: every older token dies (token version), the account is active. */
  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.query(
      `UPDATE users SET password_hash = $2, password_changed_at = now(),
              token_version = token_version + 1, is_active = true
        WHERE id = $1`,
      [userId, passwordHash],
    );
  }

  /**
   * The first password of an account an invitation made: false when it has
   * one by now (set concurrently, e.g. by signing up), which is never replaced.
   */
  async setFirstPassword(userId: string, passwordHash: string): Promise<boolean> {
    const r = await this.db.execute(
      `UPDATE users SET password_hash = $2, password_changed_at = now(),
              token_version = token_version + 1
        WHERE id = $1 AND password_hash IS NULL`,
      [userId, passwordHash],
    );
    return r.rowCount === 1;
  }

  async signedIn(userId: string, tenantId: string): Promise<void> {
    await this.db.query(
      'UPDATE users SET last_login_at = now(), current_tenant_id = $2 WHERE id = $1',
      [userId, tenantId],
    );
  }

  /** Answers the token version a new token carries. */
  async switchTenant(userId: string, tenantId: string): Promise<number> {
    const [u] = await this.db.query<{ tokenVersion: number }>(
      `UPDATE users SET current_tenant_id = $2 WHERE id = $1 RETURNING token_version AS "tokenVersion"`,
      [userId, tenantId],
    );
    return u.tokenVersion;
  }

  async leaveTenant(userId: string, tenantId: string): Promise<void> {
    await this.db.query(
      'UPDATE users SET current_tenant_id = NULL WHERE id = $1 AND current_tenant_id = $2',
      [userId, tenantId],
    );
  }

  /**
   * Deletes an account made by invitations, never claimed and in no tenant
   * any more, so its email can sign up (app_drop_unclaimed_user, migration 003).
   */
  async dropIfUnclaimed(userId: string): Promise<void> {
    await this.db.query('SELECT app_drop_unclaimed_user($1)', [userId]);
  }

  /** True when no account exists yet (users is not tenant-scoped). */
  async none(): Promise<boolean> {
    const [r] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return r.n === 0;
  }

  /** The active tenant's name and an inviter's, for an invitation mail. */
  async invitationContext(inviterId: string): Promise<{ tenantName: string; inviterName: string }> {
    const [row] = await this.db.query<{ tenantName: string; inviterName: string }>(
      `SELECT t.name AS "tenantName", u.full_name AS "inviterName"
         FROM tenants t, users u WHERE t.id = $1 AND u.id = $2`,
      [this.db.tenantId(), inviterId],
    );
    return row;
  }

  // ---- memberships of the active tenant

  /** The active tenant's name and its active admins and owners (whom the API mails about the tenant). */
  async activeAdmins(): Promise<Array<{ tenantName: string; email: string; fullName: string }>> {
    return this.db.query(
      `SELECT t.name AS "tenantName", u.email, u.full_name AS "fullName"
         FROM tenant_users tu JOIN users u ON u.id = tu.user_id JOIN tenants t ON t.id = tu.tenant_id
        WHERE tu.tenant_id = $1 AND tu.status = 'active' AND u.is_active AND tu.role IN ('admin', 'owner')
        ORDER BY u.email`,
      [this.db.tenantId()],
    );
  }

  async members(limit: number, cursor?: string): Promise<Page<Member>> {
    const where = new Where()
      .add('tu.tenant_id = ?', this.db.tenantId())
      .after('tu', decodeCursor(cursor), 'user_id');
    const rows = await this.db.query<Member & { _ts: string }>(
      `SELECT ${this.memberColumns}, ${keysetTs('tu')} FROM ${MEMBERS} ${where} ORDER BY tu.created_at DESC, tu.user_id DESC LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return toPage(rows, limit);
  }

  async member(userId: string): Promise<Member | undefined> {
    const [m] = await this.db.query<Member>(
      `SELECT ${this.memberColumns} FROM ${MEMBERS} WHERE tu.tenant_id = $1 AND tu.user_id = $2`,
      [this.db.tenantId(), userId],
    );
    return m;
  }

  /**
   * While invited, a member shows the name the inviter typed: the account's
   * own would tell the tenant whom the email belongs to before they consent.
   */
  private get memberColumns(): string {
    const [u, tu, i] = [this.u, this.tu, this.i];
    return `${u.col('id')}, ${u.col('email')},
      coalesce(${i.col('fullName')}, ${u.col('fullName')}) AS "fullName", ${tu.col('role')},
      ${tu.col('status')}, ${tu.col('createdAt')} AS "joinedAt",
      ${i.col('expiresAt')} AS "invitationExpiresAt"`;
  }

  /** A member's state, its membership row locked until the transaction ends. */
  async lockMember(userId: string): Promise<MemberState | undefined> {
    const [m] = await this.db.query<MemberState>(
      `SELECT tu.role, tu.status, u.password_hash IS NOT NULL AS "hasPassword"
         FROM tenant_users tu JOIN users u ON u.id = tu.user_id
        WHERE tu.tenant_id = $1 AND tu.user_id = $2 FOR UPDATE OF tu`,
      [this.db.tenantId(), userId],
    );
    return m;
  }

  /** The active owners, every one of their rows locked (two owners demoting each other wait). */
  async lockOwners(): Promise<string[]> {
    const rows = await this.db.query<{ userId: string }>(
      `SELECT user_id AS "userId" FROM tenant_users
        WHERE tenant_id = $1 AND role = 'owner' AND status = 'active' FOR UPDATE`,
      [this.db.tenantId()],
    );
    return rows.map((r) => r.userId);
  }

  /** false when the user is a member already. */
  async addMember(userId: string, role: Role, status: Member['status']): Promise<boolean> {
    const m = await this.db.manager();
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(MembershipEntity)
      .values({ tenantId: this.db.tenantId(), userId, role, status })
      .orIgnore()
      .returning('user_id')
      .updateEntity(false)
      .execute();
    return r.raw.length > 0;
  }

  async updateMember(
    userId: string,
    patch: { role?: Role; status?: Member['status'] },
  ): Promise<void> {
    const m = await this.db.manager();
    await m
      .createQueryBuilder()
      .update(MembershipEntity)
      .set(patch)
      .where('tenant_id = :tenantId AND user_id = :userId', {
        tenantId: this.db.tenantId(),
        userId,
      })
      .execute();
  }

  async removeMember(userId: string): Promise<void> {
    await this.db.query('DELETE FROM tenant_users WHERE tenant_id = $1 AND user_id = $2', [
      this.db.tenantId(),
      userId,
    ]);
  }

  // ---- the caller's own invited memberships, in any tenant (policies of migration 006)

  /** Accepting: the caller's invited membership there becomes active; its role, or undefined. */
  async activateOwnInvitation(tenantId: string): Promise<Role | undefined> {
    const [row] = await this.db.query<{ role: Role }>(
      `UPDATE tenant_users SET status = 'active'
        WHERE tenant_id = $1 AND user_id = $2 AND status = 'invited' RETURNING role`,
      [tenantId, this.db.userId()],
    );
    return row?.role;
  }

  /** Declining: the caller's invited membership there is removed. */
  async removeOwnInvitation(tenantId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM tenant_users WHERE tenant_id = $1 AND user_id = $2 AND status = 'invited'`,
      [tenantId, this.db.userId()],
    );
  }
}
