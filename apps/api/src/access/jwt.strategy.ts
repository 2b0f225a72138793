import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ROLES, Role } from '@acc/contracts';
import { TokenService, VerifiedClaims } from './token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Verifies signature (HS256 only), expiry, not-before, issuer and audience; then that every claim the API issues is there. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(tokens: TokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tokens.key as unknown as string,
      algorithms: ['HS256'],
      issuer: tokens.issuer,
      audience: tokens.audience,
      ignoreExpiration: false,
    });
  }

  /** The claims, and exp so that the guard may reuse this answer for the same token until it expires. */
  validate(payload: Record<string, unknown>): VerifiedClaims {
    const { sub, tid, role, ver, iat, exp } = payload;
    // every claim this API issues must be there: a token without exp would never expire
    if (
      typeof exp !== 'number' ||
      typeof iat !== 'number' ||
      typeof sub !== 'string' ||
      !UUID.test(sub) ||
      typeof tid !== 'string' ||
      !UUID.test(tid) ||
      !ROLES.includes(role as Role) ||
      !Number.isInteger(ver)
    ) {
      throw new UnauthorizedException('invalid token');
    }
    return { sub, tid, role: role as Role, ver: ver as number, exp };
  }
}
