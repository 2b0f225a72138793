import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import type {
  AuthResponse,
  LoginRequest,
  MeResponse,
  SignupRequest,
  TenantMembership,
} from '@acc/contracts';
import { TokenService } from '../access/token.service';
import { Db } from '../tenancy/db.service';
import { currentPerson } from '../tenancy/request-context';
import { TenantsRepository } from '../tenants/tenants.repository';
import { LoginSlowdown } from '../throttling/login-slowdown';
import { UsersRepository } from '../users/users.repository';
import { PasswordService } from './passwords';
import { AuditService } from '../audit/audit.service';
import { created } from '../audit/audit-changes';

const INVALID_CREDENTIALS = 'invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly slowdown: LoginSlowdown,
    private readonly audit: AuditService,
  ) {}

  /** A new tenant, its configuration, and the caller as its owner, in one transaction. */
  async signup(body: SignupRequest): Promise<AuthResponse> {
    this.passwords.assertAcceptable(body.password);
    const passwordHash = await this.passwords.hash(body.password);
    const tenantId = randomUUID();
    const userId = randomUUID();
    return this.db.transaction({ tenantId, userId }, async () => {
      const tenant = await this.tenants.insertWithFreeSlug(tenantId, body.tenantName);
      // Its pending invitations stay pending; only their links activate them.
      const user = await this.users.insertOrClaim({
        id: userId,
        email: body.email,
        passwordHash,
        fullName: body.fullName,
        currentTenantId: tenantId,
      });
      if (!user) throw new ConflictException('an account with this email already exists');
      await this.tenants.insertConfig({ tenantId });
      await this.users.addMember(user.id, 'owner', 'active');
      await this.audit.recordFor(tenantId, user, {
        action: 'auth.signup',
        resourceType: 'user',
        resourceId: user.id,
        changes: created({ email: user.email, fullName: user.fullName, tenant: tenant.name }),
      });
      const { tokenVersion: ver, ...shown } = user;
      const issued = this.tokens.issue({ sub: user.id, tid: tenantId, role: 'owner', ver });
      return { ...issued, user: shown, tenant, role: 'owner' as const };
    });
  }

  /**
   * Same 401, in about the same time, for an unknown email, a wrong password,
   * a disabled account or one without an active membership.
   */
  login(body: LoginRequest): Promise<AuthResponse> {
    return this.slowdown.attempt(body.email, () => this.signIn(body));
  }

  private async signIn(body: LoginRequest): Promise<AuthResponse> {
    const user = await this.db.transaction({ purpose: 'login' }, () =>
      this.users.account({ email: body.email }),
    );
    const ok = await this.passwords.verify(user?.passwordHash, body.password);
    if (!user || !ok || !user.isActive) {
      await this.slowdown.failed(body.email);
      // An account's failed sign-in is its current tenant's security event (an unknown
      // email belongs to no tenant: the app log has it). In the background, so that a
      // known email answers in the same time as an unknown one.
      if (user?.currentTenantId)
        this.audit.securityInBackground(user.currentTenantId, user, {
          action: 'auth.login_failed',
          resourceType: 'user',
          resourceId: user.id,
          changes: user.isActive ? {} : { reason: [null, 'account disabled'] },
        });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }

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
      await this.users.signedIn(user.id, chosen.tenant.id);
      this.audit.securityInBackground(chosen.tenant.id, user, {
        action: 'auth.login',
        resourceType: 'user',
        resourceId: user.id,
      });
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
    const p = currentPerson();
    const user = await this.users.publicUser(p.userId);
    if (!user) throw new UnauthorizedException('token is no longer valid');
    return { user, tenantId: p.tenantId, role: p.role, memberships: await this.memberships() };
  }

  /** The caller's active memberships in every tenant, by tenant name. */
  async memberships(): Promise<TenantMembership[]> {
    return (await this.tenants.ofUser()).map(({ tenant, role }) => ({ tenant, role }));
  }
}
