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

/** Adds a member with a role through the API (invite, accept by mail token via the owner DB) and logs them in. */
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
 * Invites a new person with `role` into the owner's tenant, accepts the
 * invitation from the mailed link, signs them in: the real path end to end.
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
  const reset = await c.post('/api/v1/auth/reset-password', { token, password: PASSWORD });
  if (reset.status !== 204)
    throw new Error(`accept failed: ${reset.status} ${JSON.stringify(reset.body)}`);
  const jwt = await login(c, email, PASSWORD, owner.tenantId);
  return {
    token: jwt,
    userId: invited.body.id,
    tenantId: owner.tenantId,
    email,
    password: PASSWORD,
  };
}
