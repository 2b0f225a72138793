import { KeyObject, createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import jwt from 'jsonwebtoken';
import type { Role } from '@acc/contracts';
import { durationSeconds, type Env } from '../config/env';
import { resolveJwtSecret } from '../config/jwt-secret';

export interface TokenClaims {
  sub: string;
  tid: string;
  role: Role;
  /** users.token_version when issued: a password change makes older tokens invalid. */
  ver: number;
}

/** What the signature check (JwtStrategy) answers: the claims and the token's expiry (seconds). */
export interface VerifiedClaims extends TokenClaims {
  exp: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

/**
 * HS256 tokens with issuer and audience. The key is a KeyObject made once:
 * given a string, jsonwebtoken re-derives (and first tries to parse) the key
 * on every verification, which costs more than the rest of a request.
 */
@Injectable()
export class TokenService {
  readonly key: KeyObject;
  readonly issuer: string;
  readonly audience: string;
  private readonly ttlSeconds: number;

  constructor(config: ConfigService<Env, true>) {
    const secret = resolveJwtSecret(
      config.get('JWT_SECRET', { infer: true }),
      config.get('DATA_DIR', { infer: true }),
    );
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.issuer = config.get('JWT_ISSUER', { infer: true });
    this.audience = config.get('JWT_AUDIENCE', { infer: true });
    this.ttlSeconds = durationSeconds(config.get('JWT_EXPIRATION', { infer: true }));
  }

  issue(claims: TokenClaims): IssuedToken {
    const token = jwt.sign({ tid: claims.tid, role: claims.role, ver: claims.ver }, this.key, {
      algorithm: 'HS256',
      subject: claims.sub,
      issuer: this.issuer,
      audience: this.audience,
      expiresIn: this.ttlSeconds,
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
