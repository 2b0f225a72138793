import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import type {
  AuthResponse,
  LoginRequest,
  MeResponse,
  Role,
  SignupRequest,
  Tenant,
  TenantMembership,
  User,
} from '@acc/contracts';
import { Db } from '../tenancy/db.service';
import { currentPrincipal } from '../tenancy/request-context';
import { TENANT_COLUMNS, slugify } from '../tenants/tenant.sql';
import { PasswordService } from './passwords';
import { TokenService } from './token.service';

const USER_COLUMNS = `u.id, u.email, u.full_name AS "fullName", u.created_at AS "createdAt"`;

interface LoginUser extends User {
  passwordHash: string | null;
  isActive: boolean;
  tokenVersion: number;
  currentTenantId: string | null;
}

const INVALID_CREDENTIALS = 'invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {}

  /** A new tenant, its configuration, and the caller as its owner, in one transaction. */
  async signup(body: SignupRequest): Promise<AuthResponse> {
    this.passwords.assertAcceptable(body.password);
    const hash = await this.passwords.hash(body.password);
    const tenantId = randomUUID();
    const userId = randomUUID();
    return this.db.transaction({ tenantId, userId }, async () => {
      const tenant = await this.insertTenant(tenantId, body.tenantName);
      // An account an invitation created but nobody claimed (no password yet) is
      // claimed here as if new: an invitation must not hold an email hostage.
      // Its pending invitations stay pending; only their links activate them.
      const [user] = await this.db.query<User & { ver: number }>(
        `INSERT INTO users AS u (id, email, password_hash, full_name, current_tenant_id, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT ((lower(email))) DO UPDATE
            SET password_hash = EXCLUDED.password_hash, full_name = EXCLUDED.full_name,
                current_tenant_id = EXCLUDED.current_tenant_id, password_changed_at = now(),
                token_version = u.token_version + 1
          WHERE u.password_hash IS NULL
         RETURNING ${USER_COLUMNS}, u.token_version AS ver`,
        [userId, body.email, hash, body.fullName, tenantId],
      );
      if (!user) throw new ConflictException('an account with this email already exists');
      await this.db.query('INSERT INTO tenant_configs (tenant_id) VALUES ($1)', [tenantId]);
      await this.db.query(
        `INSERT INTO tenant_users (tenant_id, user_id, role, status) VALUES ($1, $2, 'owner', 'active')`,
        [tenantId, user.id],
      );
      const { ver, ...shown } = user;
      const issued = this.tokens.issue({ sub: user.id, tid: tenantId, role: 'owner', ver });
      return { ...issued, user: shown, tenant, role: 'owner' as const };
    });
  }

  /**
   * Same 401, in about the same time, for an unknown email, a wrong password,
   * a disabled account or one without an active membership.
   */
  async login(body: LoginRequest): Promise<AuthResponse> {
    const user = await this.db.transaction({ purpose: 'login' }, async () => {
      const [row] = await this.db.query<LoginUser>(
        `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", u.is_active AS "isActive",
                u.token_version AS "tokenVersion", u.current_tenant_id AS "currentTenantId"
           FROM users u WHERE lower(u.email) = $1`,
        [body.email],
      );
      return row;
    });
    const ok = await this.passwords.verify(user?.passwordHash, body.password);
    if (!user || !ok || !user.isActive) throw new UnauthorizedException(INVALID_CREDENTIALS);

    return this.db.transaction({ userId: user.id }, async () => {
      const memberships = await this.memberships();
      const wanted = body.tenantId ?? user.currentTenantId;
      const chosen =
        memberships.find((m) => m.tenant.id === wanted) ??
        (body.tenantId ? undefined : memberships[0]);
      if (!chosen)
        throw new UnauthorizedException(
          body.tenantId ? 'no active membership in that tenant' : INVALID_CREDENTIALS,
        );
      await this.db.query(
        'UPDATE users SET last_login_at = now(), current_tenant_id = $2 WHERE id = $1',
        [user.id, chosen.tenant.id],
      );
      const issued = this.tokens.issue({
        sub: user.id,
        tid: chosen.tenant.id,
        role: chosen.role,
        ver: user.tokenVersion,
      });
      const { id, email, fullName, createdAt } = user;
      return {
        ...issued,
        user: { id, email, fullName, createdAt },
        tenant: chosen.tenant,
        role: chosen.role,
      };
    });
  }

  async me(): Promise<MeResponse> {
    const p = currentPrincipal();
    const [user] = await this.db.query<User>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`,
      [p.userId],
    );
    return { user, tenantId: p.tenantId, role: p.role, memberships: await this.memberships() };
  }

  /** The caller's active memberships in every tenant (RLS: own_memberships + member_tenants). */
  async memberships(): Promise<TenantMembership[]> {
    const rows = await this.db.query<Tenant & { role: Role }>(
      `SELECT ${TENANT_COLUMNS}, tu.role
         FROM tenant_users tu JOIN tenants t ON t.id = tu.tenant_id
        WHERE tu.user_id = $1 AND tu.status = 'active' AND t.status = 'active'
        ORDER BY t.name, t.id`,
      [this.db.userId()],
    );
    return rows.map(({ role, ...tenant }) => ({ tenant, role }));
  }

  /** Inserts the tenant under a unique slug (the name's slug, suffixed when taken). */
  private async insertTenant(id: string, name: string): Promise<Tenant> {
    const base = slugify(name);
    for (let attempt = 0; attempt < 8; attempt++) {
      const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
      const [tenant] = await this.db.query<Tenant>(
        `INSERT INTO tenants AS t (id, name, slug) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO NOTHING RETURNING ${TENANT_COLUMNS}`,
        [id, name, slug],
      );
      if (tenant) return tenant;
    }
    throw new ConflictException('could not find a free slug for this tenant name');
  }
}
