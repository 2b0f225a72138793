import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Env } from '../config/env';

const STEP_MS = 1_000;
const MAX_DELAY_MS = 10_000;
const MAX_TRACKED = 10_000;

/**
 * Sign-in is never refused per account (that would let anyone lock anyone
 * out from anywhere); once an account has had THROTTLE_AUTH_LIMIT failed
 * sign-ins in the window, from any address, its further attempts are slowed
 * instead: answered after a delay that grows by a second per failure (10 s
 * at most), one at a time per account on each instance. A correct password
 * still signs in, after the wait. Failures are counted in the throttler's
 * storage, so across instances when Redis is configured.
 */
@Injectable()
export class LoginSlowdown {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly limit: number;
  private readonly ttlMs: number;

  constructor(
    // ThrottlerStorage is a token and an interface: without @Inject the build emits Object
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    config: ConfigService<Env, true>,
  ) {
    this.limit = config.get('THROTTLE_AUTH_LIMIT', { infer: true });
    this.ttlMs = config.get('THROTTLE_AUTH_TTL_SECONDS', { infer: true }) * 1000;
  }

  /** Runs a sign-in attempt for the account, after its delay when it is being slowed. */
  async attempt<T>(email: string, run: () => Promise<T>): Promise<T> {
    const delay = this.delayFor(email);
    if (delay === 0) return run();
    const before = this.queues.get(email) ?? Promise.resolve();
    const turn = before.then(() => new Promise<void>((r) => setTimeout(r, delay)));
    const done = turn.then(run).finally(() => {
      if (this.queues.get(email) === settled) this.queues.delete(email);
    });
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(email, settled);
    return done;
  }

  async failed(email: string): Promise<void> {
    const r = await this.storage.increment(
      `login-failures:${email}`,
      this.ttlMs,
      Number.MAX_SAFE_INTEGER,
      0,
      'login',
    );
    // bounded: an address spraying made-up emails must not grow this without end
    if (this.failures.size >= MAX_TRACKED)
      this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(email, { count: r.totalHits, until: Date.now() + r.timeToExpire * 1000 });
  }

  private delayFor(email: string): number {
    const f = this.failures.get(email);
    if (!f || f.until < Date.now()) {
      this.failures.delete(email);
      return 0;
    }
    const over = f.count - this.limit;
    return over < 0 ? 0 : Math.min((over + 1) * STEP_MS, MAX_DELAY_MS);
  }
}
