import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';

/** What identifies "the account" of an auth request: the email, or the reset token. */
export function accountKey(req: { ip?: string; body?: Record<string, unknown> }): string {
  const body = req.body ?? {};
  if (typeof body['email'] === 'string') return `email:${body['email'].trim().toLowerCase()}`;
  if (typeof body['token'] === 'string') {
    return `token:${createHash('sha256').update(body['token']).digest('hex').slice(0, 32)}`;
  }
  return `ip:${req.ip ?? 'unknown'}`;
}

/**
 * Limits sign-in, sign-up and password-reset attempts per client IP and per
 * account; over the limit: 429 with Retry-After.
 */
@Injectable()
export class AuthThrottleGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    throw new HttpException(
      { message: `too many attempts, retry in ${retryAfter} s`, retryAfter },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
