import { randomBytes } from 'node:crypto';
import type { Client } from './http';

export interface Account {
  token: string;
  userId: string;
  tenantId: string;
  email: string;
  password: string;
}

export const PASSWORD = 'correct horse battery staple';

/** Signs up a new tenant through the API and returns its owner. */
export async function signup(c: Client, label: string): Promise<Account> {
  const email = `${label.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
  const res = await c.post('/api/v1/auth/signup', {
    tenantName: `${label} Calls`,
    fullName: `${label} Owner`,
    email,
    password: PASSWORD,
  });
  if (res.status !== 201)
    throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    token: res.body.token,
    userId: res.body.user.id,
    tenantId: res.body.tenant.id,
    email,
    password: PASSWORD,
  };
}

/** Signs in; with tenantId, into that tenant. */
export async function login(
  c: Client,
  email: string,
  password = PASSWORD,
  tenantId?: string,
): Promise<string> {
  const res = await c.post('/api/v1/auth/login', {
    email,
    password,
    ...(tenantId ? { tenantId } : {}),
  });
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/**
 * Invites a new person with `role` into the owner's tenant and accepts the
 * invitation from the mailed link, which signs them in: the real path end to end.
 */
export async function addMember(
  c: Client,
  smtp: { waitFor(to: string, p: RegExp): Promise<string> },
  owner: Account,
  role: 'viewer' | 'member' | 'admin' | 'owner',
  label: string = role,
): Promise<Account> {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
  const invited = await c.post(
    '/api/v1/users',
    { email, fullName: `${label} person`, role },
    owner.token,
  );
  if (invited.status !== 201)
    throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = await smtp.waitFor(email, /accept-invite\?token=([A-Za-z0-9_-]+)/);
  const accepted = await c.post('/api/v1/auth/accept-invite', { token, password: PASSWORD });
  if (accepted.status !== 200)
    throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return {
    token: accepted.body.token,
    userId: invited.body.id,
    tenantId: owner.tenantId,
    email,
    password: PASSWORD,
  };
}

/**
 * `by` invites the existing account `who` with `role`, and `who`, signed in
 * elsewhere, accepts: answers `who`'s token for `by`'s tenant.
 */
export async function joinTenant(
  c: Client,
  by: Account,
  who: Account,
  role: 'viewer' | 'member' | 'admin' | 'owner',
): Promise<string> {
  const invited = await c.post(
    '/api/v1/users',
    { email: who.email, fullName: `${role} from elsewhere`, role },
    by.token,
  );
  if (invited.status !== 201)
    throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const pending = await c.get('/api/v1/invitations?limit=200', who.token);
  const invitation = pending.body.data?.find(
    (i: { tenant: { id: string } }) => i.tenant.id === by.tenantId,
  );
  if (!invitation) throw new Error(`no invitation to accept: ${JSON.stringify(pending.body)}`);
  const accepted = await c.post(`/api/v1/invitations/${invitation.id}/accept`, {}, who.token);
  if (accepted.status !== 200)
    throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return accepted.body.token;
}

/** A workspace API key made by `by` (an admin or owner) through the API: its id and the key itself. */
export async function createApiKey(
  c: Client,
  by: Account,
  role: 'viewer' | 'member' | 'admin',
  extra: { name?: string; expiresAt?: string } = {},
): Promise<{ id: string; key: string }> {
  const res = await c.post(
    '/api/v1/api-keys',
    {
      name: extra.name ?? `${role} key`,
      role,
      ...(extra.expiresAt ? { expiresAt: extra.expiresAt } : {}),
    },
    by.token,
  );
  if (res.status !== 201)
    throw new Error(`API key not created: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}
