import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Role, roleAtLeast } from '@acc/contracts';
import { Db } from '../tenancy/db.service';
import { READ_REPLICA } from '../tenancy/read-replica.decorator';
import { UsageService } from '../usage/usage.service';
import { currentStore } from '../tenancy/request-context';
import { IS_PUBLIC } from './public.decorator';
import { MIN_ROLE } from './roles.decorator';
import type { TokenClaims } from './token.service';

/**
 * Global guard: every route needs a valid token unless marked @Public().
 * After the signature, it opens the request's tenant transaction for the
 * token's tenant, whose first statement also returns the caller's current
 * membership, so a removed or disabled member, or a token older than the
 * last password change, is refused on the very next request. The role is
 * taken from the database, not from the token.
 */
@Injectable()
export class ApiAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: Db,
    private readonly usage: UsageService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    await super.canActivate(context);
    const claims = context.switchToHttp().getRequest<{ user: TokenClaims }>().user;
    const readReplica = this.reflector.getAllAndOverride<boolean>(READ_REPLICA, targets) === true;
    const membership = await this.db.begin(
      { tenantId: claims.tid, userId: claims.sub },
      { readReplica },
    );
    if (
      !membership ||
      membership.status !== 'active' ||
      !membership.userActive ||
      membership.tokenVersion !== claims.ver
    ) {
      throw new UnauthorizedException('token is no longer valid');
    }
    const store = currentStore();
    if (store)
      store.principal = { userId: claims.sub, tenantId: claims.tid, role: membership.role };
    this.usage.record(claims.tid);

    const required = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'viewer';
    if (!roleAtLeast(membership.role, required)) {
      throw new ForbiddenException(`this action needs the ${required} role or higher`);
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedException('missing or invalid token');
    return user;
  }
}
