import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Role } from '@acc/contracts';
import type { Db } from '../tenancy/db.service';
import { READ_REPLICA } from '../tenancy/read-replica.decorator';
import {
  type ApiKeyGrant,
  type Membership,
  type RequestStore,
  requestContext,
} from '../tenancy/request-context';
import type { UsageService } from '../usage/usage.service';
import type { ApiKeyUsage } from './api-key-usage.service';
import { apiKeyHash } from './api-key-secret';
import { ApiAuthGuard } from './auth.guard';
import { PEOPLE_ONLY } from './people-only.decorator';
import { IS_PUBLIC } from './public.decorator';
import { MIN_ROLE } from './roles.decorator';
import type { TokenClaims } from './token.service';

/**
 * The guard's decisions, one at a time, with the database answer stubbed:
 * the API specs (auth/cross-tenant.api.spec.ts, auth.api.spec.ts) prove the
 * same over HTTP; these pin each condition so that mutation testing
 * (docs/testing.md) sees every one of them matter.
 */
const CLAIMS: TokenClaims = { sub: 'user-1', tid: 'tenant-1', role: 'owner', ver: 4 };
const ACTIVE: Membership = { role: 'admin', status: 'active', tokenVersion: 4, userActive: true };
// well formed (acc_ and 43 base62 characters); a fixed one keeps the test names stable
const KEY = `acc_${'K'.repeat(43)}`;
const GRANT: ApiKeyGrant = { tenantId: 'tenant-2', keyId: 'key-1', role: 'member' };

// the JWT signature check of @nestjs/passport: here it accepts `claims`, or refuses with no claims
let claims: TokenClaims | null;
const passport = jest
  .spyOn(Object.getPrototypeOf(ApiAuthGuard.prototype), 'canActivate')
  .mockImplementation(async (context: unknown) => {
    if (!claims) throw new UnauthorizedException('missing or invalid token');
    (context as ExecutionContext).switchToHttp().getRequest().user = claims;
    return true;
  });

function setup(opts: {
  meta?: Record<string, unknown>;
  membership?: Membership | null;
  grant?: ApiKeyGrant | null;
  authorization?: string;
}) {
  const meta = opts.meta ?? {};
  const reflector = { getAllAndOverride: jest.fn((key: string) => meta[key]) };
  const db = {
    begin: jest.fn(async () => (opts.membership === undefined ? ACTIVE : opts.membership)),
    beginWithApiKey: jest.fn(async () => (opts.grant === undefined ? GRANT : opts.grant)),
  };
  const usage = { record: jest.fn() };
  const keyUsage = { record: jest.fn() };
  const guard = new ApiAuthGuard(
    reflector as unknown as Reflector,
    db as unknown as Db,
    usage as unknown as UsageService,
    keyUsage as unknown as ApiKeyUsage,
  );
  const request = { headers: { authorization: opts.authorization ?? 'Bearer a.jwt.token' } };
  const context = {
    getHandler: () => 'handler',
    getClass: () => 'controller',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  const store: RequestStore = {};
  const run = () => requestContext.run(store, () => guard.canActivate(context));
  return { run, store, db, usage, keyUsage, reflector, guard };
}

beforeEach(() => {
  claims = CLAIMS;
  passport.mockClear();
});

describe('ApiAuthGuard: a person (JWT)', () => {
  it('lets a public route through untouched: no credential check, no transaction', async () => {
    const s = setup({ meta: { [IS_PUBLIC]: true } });
    claims = null;
    await expect(s.run()).resolves.toBe(true);
    expect(passport).not.toHaveBeenCalled();
    expect(s.db.begin).not.toHaveBeenCalled();
    expect(s.store.principal).toBeUndefined();
  });

  it("opens the token's tenant for its user and takes the role from the membership, not the token", async () => {
    const s = setup({});
    await expect(s.run()).resolves.toBe(true);
    expect(s.reflector.getAllAndOverride).toHaveBeenCalledWith(IS_PUBLIC, [
      'handler',
      'controller',
    ]);
    expect(s.db.begin).toHaveBeenCalledWith(
      { tenantId: 'tenant-1', userId: 'user-1' },
      { readReplica: false },
    );
    expect(s.store.principal).toEqual({
      kind: 'user',
      userId: 'user-1',
      tenantId: 'tenant-1',
      role: 'admin',
    });
    expect(s.usage.record).toHaveBeenCalledWith('tenant-1');
  });

  it('reads from a replica only on routes marked for it', async () => {
    const marked = setup({ meta: { [READ_REPLICA]: true } });
    await marked.run();
    expect(marked.db.begin).toHaveBeenCalledWith(expect.anything(), { readReplica: true });
    const truthy = setup({ meta: { [READ_REPLICA]: 'yes' } });
    await truthy.run();
    expect(truthy.db.begin).toHaveBeenCalledWith(expect.anything(), { readReplica: false });
  });

  it('refuses a token the signature check refuses (401), before any transaction', async () => {
    const s = setup({});
    claims = null;
    await expect(s.run()).rejects.toThrow(UnauthorizedException);
    expect(s.db.begin).not.toHaveBeenCalled();
  });

  it.each<[string, Membership | null]>([
    ['no membership (removed)', null],
    ['an invited membership', { ...ACTIVE, status: 'invited' }],
    ['a disabled membership', { ...ACTIVE, status: 'disabled' }],
    ['a deactivated account', { ...ACTIVE, userActive: false }],
    ['a token older than the last password change', { ...ACTIVE, tokenVersion: 5 }],
  ])('refuses %s with 401 on the very next request', async (_name, membership) => {
    const s = setup({ membership });
    await expect(s.run()).rejects.toThrow(new UnauthorizedException('token is no longer valid'));
    expect(s.store.principal).toBeUndefined();
    expect(s.usage.record).not.toHaveBeenCalled();
  });

  it.each<[string, Role, 'allowed' | 'refused', Role | undefined]>([
    ['no role given (viewer)', 'viewer', 'allowed', undefined],
    ['admin', 'admin', 'allowed', 'admin'],
    ['admin', 'owner', 'allowed', 'admin'],
    ['admin', 'member', 'refused', 'admin'],
    ['member', 'viewer', 'refused', 'member'],
  ])('a route for %s, called by a %s: %s', async (_name, role, verdict, min) => {
    const s = setup({ meta: { [MIN_ROLE]: min }, membership: { ...ACTIVE, role } });
    if (verdict === 'allowed') await expect(s.run()).resolves.toBe(true);
    else
      await expect(s.run()).rejects.toThrow(
        new ForbiddenException(`this action needs the ${min} role or higher`),
      );
  });

  it('a token claiming owner gets only its membership role', async () => {
    const s = setup({ meta: { [MIN_ROLE]: 'owner' }, membership: { ...ACTIVE, role: 'member' } });
    await expect(s.run()).rejects.toThrow(ForbiddenException);
  });

  it('may call a people-only route', async () => {
    await expect(setup({ meta: { [PEOPLE_ONLY]: true } }).run()).resolves.toBe(true);
  });

  it.each([
    ['another scheme', `Token ${KEY}`],
    ['Basic', `Basic ${KEY}`],
    ['anything after the credential', `Bearer ${KEY} extra`],
    ['anything before Bearer', `xBearer ${KEY}`],
  ])(
    'sends a key with %s to the JWT check, never to the key lookup',
    async (_name, authorization) => {
      const s = setup({ authorization });
      await s.run();
      expect(passport).toHaveBeenCalled();
      expect(s.db.beginWithApiKey).not.toHaveBeenCalled();
    },
  );
});

describe('ApiAuthGuard: a token checked before (issue 17)', () => {
  const exp = Math.floor(Date.now() / 1000) + 60;
  const request = (s: ReturnType<typeof setup>) => s.run().then(() => s.store.principal);
  let clock: jest.SpyInstance | undefined;
  afterEach(() => clock?.mockRestore());

  it('skips the signature check for the same text until it expires, never the membership', async () => {
    claims = { ...CLAIMS, exp } as TokenClaims;
    const s = setup({});
    const first = await request(s);
    claims = null; // the check would refuse now: only the remembered answer lets it through
    clock = jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 - 1);
    expect(await request(s)).toEqual(first);
    expect(passport).toHaveBeenCalledTimes(1);
    expect(s.db.begin).toHaveBeenCalledTimes(2);
    // at exp the token goes back to passport-jwt, which refuses an expired token
    clock.mockReturnValue(exp * 1000);
    await expect(s.run()).rejects.toThrow(UnauthorizedException);
    expect(passport).toHaveBeenCalledTimes(2);
    expect(s.db.begin).toHaveBeenCalledTimes(2);
  });

  it('checks another token text, a token without exp, and a header the Bearer pattern refuses', async () => {
    claims = { ...CLAIMS, exp } as TokenClaims;
    const s = setup({});
    await s.run();
    const other = setup({ authorization: 'Bearer another.jwt.token' });
    await other.run();
    expect(passport).toHaveBeenCalledTimes(2);
    const spaced = setup({ authorization: 'Bearer  a.jwt.token' });
    await spaced.run();
    await spaced.run();
    expect(passport).toHaveBeenCalledTimes(4);
    claims = CLAIMS;
    const noExp = setup({});
    await noExp.run();
    await noExp.run();
    expect(passport).toHaveBeenCalledTimes(6);
  });

  it('a refused membership still refuses a remembered token', async () => {
    claims = { ...CLAIMS, exp } as TokenClaims;
    const s = setup({ membership: { ...ACTIVE, tokenVersion: 5 } });
    await expect(s.run()).rejects.toThrow(new UnauthorizedException('token is no longer valid'));
    await expect(s.run()).rejects.toThrow(new UnauthorizedException('token is no longer valid'));
    expect(passport).toHaveBeenCalledTimes(1);
  });
});

describe('ApiAuthGuard: an API key', () => {
  it('opens the tenant of the key at its role, whatever the bearer word case', async () => {
    for (const word of ['Bearer', 'bearer']) {
      const s = setup({ authorization: `${word} ${KEY}`, meta: { [READ_REPLICA]: true } });
      await expect(s.run()).resolves.toBe(true);
      expect(passport).not.toHaveBeenCalled();
      expect(s.db.beginWithApiKey).toHaveBeenCalledWith(apiKeyHash(KEY), { readReplica: true });
      expect(s.store.principal).toEqual({
        kind: 'apiKey',
        apiKeyId: 'key-1',
        tenantId: 'tenant-2',
        role: 'member',
      });
      expect(s.keyUsage.record).toHaveBeenCalledWith('tenant-2', 'key-1');
      expect(s.usage.record).toHaveBeenCalledWith('tenant-2');
    }
  });

  it('never looks up a malformed key, and refuses it like an unknown one (401)', async () => {
    const malformed = setup({ authorization: `Bearer ${KEY}x` });
    await expect(malformed.run()).rejects.toThrow(
      new UnauthorizedException('invalid, revoked or expired API key'),
    );
    expect(malformed.db.beginWithApiKey).not.toHaveBeenCalled();
    expect(passport).not.toHaveBeenCalled();
    const unknown = setup({ authorization: `Bearer ${KEY}`, grant: null });
    await expect(unknown.run()).rejects.toThrow(
      new UnauthorizedException('invalid, revoked or expired API key'),
    );
    expect(unknown.keyUsage.record).not.toHaveBeenCalled();
    expect(unknown.usage.record).not.toHaveBeenCalled();
  });

  it('is refused on a people-only route (403), and below the route role (403)', async () => {
    const people = setup({ authorization: `Bearer ${KEY}`, meta: { [PEOPLE_ONLY]: true } });
    await expect(people.run()).rejects.toThrow(
      new ForbiddenException('this action needs a person signed in; API keys may not do it'),
    );
    const admin = setup({ authorization: `Bearer ${KEY}`, meta: { [MIN_ROLE]: 'admin' } });
    await expect(admin.run()).rejects.toThrow(ForbiddenException);
  });
});

describe('ApiAuthGuard.handleRequest (the JWT check answer)', () => {
  const { guard } = setup({});
  it('passes the claims on, and refuses an error or no user with 401', () => {
    expect(guard.handleRequest(null, CLAIMS)).toBe(CLAIMS);
    expect(() => guard.handleRequest(new Error('expired'), CLAIMS)).toThrow(
      new UnauthorizedException('missing or invalid token'),
    );
    expect(() => guard.handleRequest(null, false)).toThrow(UnauthorizedException);
  });
});
