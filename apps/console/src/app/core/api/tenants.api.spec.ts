import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { TenantList, TenantMembership } from '@acc/contracts';
import { RuntimeConfig } from '../runtime-config';
import { TenantsApi } from './tenants.api';

const membership = (id: string, name: string): TenantMembership => ({
  tenant: {
    id,
    name,
    slug: id,
    domain: null,
    status: 'active',
    plan: 'free',
    createdAt: '2025-01-01T00:00:00Z',
  },
  role: 'member',
});

describe('TenantsApi.list', () => {
  let api: TenantsApi;
  let ctrl: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(RuntimeConfig).set({ apiUrl: '' });
    api = TestBed.inject(TenantsApi);
    ctrl = TestBed.inject(HttpTestingController);
  });

  afterEach(() => ctrl.verify());

  it('follows nextCursor to the last page and answers every tenant by name', () => {
    let result: TenantList | undefined;
    api.list().subscribe((r) => (result = r));

    const first = ctrl.expectOne((r) => r.url === '/api/v1/tenants');
    expect(first.request.params.get('limit')).toBe('200');
    expect(first.request.params.has('cursor')).toBe(false);
    first.flush({ data: [membership('t3', 'Zeta'), membership('t2', 'Alpha')], nextCursor: 'c1' });

    const second = ctrl.expectOne((r) => r.url === '/api/v1/tenants');
    expect(second.request.params.get('cursor')).toBe('c1');
    second.flush({ data: [membership('t1', 'Mid')], nextCursor: null });

    expect(result?.data.map((m) => m.tenant.name)).toEqual(['Alpha', 'Mid', 'Zeta']);
    expect(result?.nextCursor).toBeNull();
  });
});
