import { APIRequestContext, expect } from '@playwright/test';
import { BASE_URL, uniqueEmail, uniqueName } from './env';

export interface Account {
  email: string;
  password: string;
  fullName: string;
  tenantName: string;
  token: string;
  tenantId: string;
  userId: string;
}

/** Direct API calls for test data; what a test is about goes through the browser. */
export class Api {
  constructor(
    private readonly request: APIRequestContext,
    public token = '',
  ) {}

  private headers(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  async post<T>(path: string, data: unknown, status = 201): Promise<T> {
    const res = await this.request.post(BASE_URL + path, { data, headers: this.headers() });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
    return (status === 204 ? undefined : await res.json()) as T;
  }

  async put<T>(path: string, data: unknown): Promise<T> {
    const res = await this.request.put(BASE_URL + path, { data, headers: this.headers() });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async get<T>(path: string): Promise<T> {
    const res = await this.request.get(BASE_URL + path, { headers: this.headers() });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  /** A new tenant with a new owner. */
  async signup(prefix = 'owner'): Promise<Account> {
    const email = uniqueEmail(prefix);
    const password = `pw-${Math.random().toString(36).slice(2)}-Long!`;
    const fullName = uniqueName(prefix === 'owner' ? 'Olivia Owner' : prefix);
    const tenantName = uniqueName('Tenant');
    const res = await this.post<{ token: string; tenant: { id: string }; user: { id: string } }>(
      '/api/v1/auth/signup',
      { tenantName, fullName, email, password },
    );
    this.token = res.token;
    return {
      email,
      password,
      fullName,
      tenantName,
      token: res.token,
      tenantId: res.tenant.id,
      userId: res.user.id,
    };
  }

  createAgent(name: string): Promise<{ id: string; name: string }> {
    return this.post('/api/v1/agents', { name, systemPrompt: 'You are a test agent.' });
  }

  createLead(fields: Record<string, unknown>): Promise<{ id: string; phone: string }> {
    return this.post('/api/v1/leads', fields);
  }

  createCall(fields: Record<string, unknown>): Promise<{ id: string }> {
    return this.post('/api/v1/calls', fields);
  }

  /** Invites someone: they have no access until they accept. */
  addMember(email: string, fullName: string, role: string): Promise<{ id: string }> {
    return this.post('/api/v1/users', { email, fullName, role });
  }

  /** As this account, accepts every pending invitation (each switches it to that tenant). */
  async acceptInvitations(): Promise<void> {
    const pending = await this.get<{ data: Array<{ id: string }> }>('/api/v1/invitations');
    for (const i of pending.data) await this.post(`/api/v1/invitations/${i.id}/accept`, {}, 200);
  }
}
