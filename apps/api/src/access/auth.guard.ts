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
import {
  API_KEY_REFUSED,
  CallerCheck,
  Principal,
  TOKEN_REFUSED,
  currentStore,
  membershipAdmits,
  roleRefused,
} from '../tenancy/request-context';
import { ApiKeyUsage } from './api-key-usage.service';
import { apiKeyHash, isWellFormedApiKey, looksLikeApiKey } from './api-key-secret';
import { PEOPLE_ONLY } from './people-only.decorator';
import { IS_PUBLIC } from './public.decorator';
import { MIN_ROLE } from './roles.decorator';
import type { TokenClaims, VerifiedClaims } from './token.service';

const BEARER = /^Bearer ([^\s]+)$/i;
interface RouteRules {
  isPublic: boolean;
  readReplica: boolean;
  peopleOnly: boolean;
  minRole: Role;
}

/** Tokens remembered after their signature check; the oldest is forgotten first. */
const VERIFIED_MAX = 10_000;

/**
 * Global guard: every route needs a valid credential unless marked @Public():
 * a person's token (JWT) or a workspace API key (`acc_...`). Either way the
 * request's tenant transaction is opened by the check itself, whose first
 * statement also answers who the caller is now: for a token, the current
 * membership (a removed or disabled member, or a token older than the last
 * password change, is refused on the very next request); for a key, its
 * tenant and role (a revoked or expired key is refused likewise). The role
 * is always the database's, never the credential's claim.
 */
@Injectable()
export class ApiAuthGuard extends AuthGuard('jwt') {
  /**
   * Token text -> what passport-jwt answered for it. The signature, issuer,
   * audience and claim checks depend on the text alone, so a token that
   * passed them passes them again until it expires; the membership is still
   * read from the database on every request. Skips ~60 us of passport and
   * HMAC per request (docs/performance.md, issue 17).
   */
  private readonly verified = new Map<string, Readonly<VerifiedClaims>>();
  /** controller -> handler -> its rules (rulesOf) */
  private readonly routes = new Map<unknown, Map<unknown, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly db: Db,
    private readonly usage: UsageService,
    private readonly keyUsage: ApiKeyUsage,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(context);
    if (rules.isPublic) return true;
    const readReplica = rules.readReplica;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    const credential = BEARER.exec(String(request.headers['authorization'] ?? ''))?.[1];
    const { principal, check } =
      credential && looksLikeApiKey(credential)
        ? await this.apiKeyPrincipal(credential, readReplica, rules.minRole)
        : await this.personPrincipal(context, credential, readReplica, rules.minRole);

    const store = currentStore();
    if (store) {
      store.principal = principal;
      store.callerCheck = check;
    }
    this.usage.record(principal.tenantId);

    // after authentication: a bad key is 401 everywhere, a good one 403 here
    if (principal.kind === 'apiKey' && rules.peopleOnly) {
      throw new ForbiddenException('this action needs a person signed in; API keys may not do it');
    }
    const required = rules.minRole;
    if (!roleAtLeast(principal.role, required)) {
      throw new ForbiddenException(roleRefused(required));
    }
    return true;
  }

  /** A route's decorators, read once per route: metadata does not change after boot. */
  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new Map()));
    let rules = byHandler.get(handler);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)),
        readReplica: this.reflector.getAllAndOverride<boolean>(READ_REPLICA, targets) === true,
        peopleOnly: Boolean(this.reflector.getAllAndOverride<boolean>(PEOPLE_ONLY, targets)),
        minRole: this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'viewer',
      };
      byHandler.set(handler, rules);
    }
    return rules;
  }

  private async personPrincipal(
    context: ExecutionContext,
    credential: string | undefined,
    readReplica: boolean,
    minRole: Role,
  ): Promise<{ principal: Principal; check: CallerCheck }> {
    const request = context.switchToHttp().getRequest<{ user: TokenClaims }>();
    const known = this.knownToken(credential);
    if (known) request.user = known;
    else {
      await super.canActivate(context);
      this.remember(credential, request.user);
    }
    const claims = request.user;
    const membership = await this.db.begin(
      { tenantId: claims.tid, userId: claims.sub },
      { readReplica },
    );
    if (!membershipAdmits(membership, claims.ver)) {
      throw new UnauthorizedException(TOKEN_REFUSED);
    }
    return {
      principal: { kind: 'user', userId: claims.sub, tenantId: claims.tid, role: membership.role },
      check: { kind: 'user', tokenVersion: claims.ver, minRole },
    };
  }

  private async apiKeyPrincipal(
    key: string,
    readReplica: boolean,
    minRole: Role,
  ): Promise<{ principal: Principal; check: CallerCheck }> {
    // a malformed key is never looked up; unknown, altered, revoked and expired look alike
    const keyHash = isWellFormedApiKey(key) ? apiKeyHash(key) : null;
    const grant = keyHash ? await this.db.beginWithApiKey(keyHash, { readReplica }) : null;
    if (!keyHash || !grant) throw new UnauthorizedException(API_KEY_REFUSED);
    this.keyUsage.record(grant.tenantId, grant.keyId);
    return {
      principal: {
        kind: 'apiKey',
        apiKeyId: grant.keyId,
        tenantId: grant.tenantId,
        role: grant.role,
      },
      check: { kind: 'apiKey', keyHash, keyId: grant.keyId, minRole },
    };
  }

  /** The claims of a token checked before, unless it has expired since (jsonwebtoken's rule: now >= exp). */
  private knownToken(credential: string | undefined): Readonly<VerifiedClaims> | undefined {
    if (!credential) return undefined;
    const claims = this.verified.get(credential);
    if (claims && Math.floor(Date.now() / 1000) >= claims.exp) {
      this.verified.delete(credential);
      return undefined;
    }
    return claims;
  }

  /**
   * Remembers what passport-jwt answered for a token. Only for the token the
   * Bearer pattern above took from the header (passport reads the very same
   * one from it then) and only with its expiry.
   */
  private remember(credential: string | undefined, claims: TokenClaims): void {
    const exp = (claims as Partial<VerifiedClaims>).exp;
    if (!credential || typeof exp !== 'number') return;
    if (this.verified.size >= VERIFIED_MAX) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(credential, Object.freeze({ ...claims, exp }));
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedException('missing or invalid token');
    return user;
  }
}
