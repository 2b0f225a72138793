import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { LeadsListPage } from './leads-list.page';

interface PageInternals {
  status: { setValue(v: string): void };
  q: { setValue(v: string, o?: object): void };
  exportCsv(): void;
}

async function render() {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [LeadsListPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  TestBed.inject(AuthStore).signIn({
    token: 't',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    role: 'member',
    user: { id: 'u', email: 'e@x.co', fullName: 'E', createdAt: '2025-01-01T00:00:00Z' },
    tenant: {
      id: 't',
      name: 'T',
      slug: 't',
      domain: null,
      status: 'active',
      plan: 'p',
      createdAt: '2025-01-01T00:00:00Z',
    },
  });
  const fixture = TestBed.createComponent(LeadsListPage);
  await fixture.whenStable();
  const http = TestBed.inject(HttpTestingController);
  http.match('/api/v1/agents').forEach((r) => r.flush({ data: [], nextCursor: null }));
  return { fixture, page: fixture.componentInstance as unknown as PageInternals, http };
}

describe('LeadsListPage', () => {
  it('exports only the leads matching the filters on screen', async () => {
    const { page, http } = await render();
    page.status.setValue('qualified');
    page.q.setValue('  acme ', { emitEvent: false });
    page.exportCsv();
    const req = http.expectOne((r) => r.url === '/api/v1/leads/export');
    expect(req.request.params.get('status')).toBe('qualified');
    expect(req.request.params.get('q')).toBe('acme');
    expect(req.request.params.has('agentId')).toBe(false);
    expect(req.request.params.has('tag')).toBe(false);
  });
});
