import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Lead } from '@acc/contracts';
import { Notifier } from '../../core/notifier';
import { LeadDetailPage } from './lead-detail.page';
import { signInAs } from '../../testing/session';

const ID = '0b6c2f0e-8a52-4d7e-9a3e-5a4f1f3d2c10';

const lead: Lead = {
  id: ID,
  firstName: 'Ada',
  lastName: 'Lovelace',
  phone: '+14155550100',
  email: null,
  company: null,
  status: 'new',
  source: null,
  assignedAgentId: null,
  tags: [],
  timezone: null,
  nextCallAt: null,
  lastContactedAt: null,
  customFields: {},
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};

async function render(id = ID) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [LeadDetailPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  signInAs('member');
  const fixture = TestBed.createComponent(LeadDetailPage);
  fixture.componentRef.setInput('id', id);
  await fixture.whenStable();
  const http = TestBed.inject(HttpTestingController);
  http
    .match((r) => r.url === '/api/v1/agents')
    .forEach((r) => r.flush({ data: [], nextCursor: null }));
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}

describe('LeadDetailPage', () => {
  it('shows custom fields that are not text the way the edit dialog does', async () => {
    const { fixture, http, el } = await render();
    http.expectOne(`/api/v1/leads/${ID}`).flush({
      ...lead,
      customFields: { colors: ['red', 'blue'], budget: { min: 5 }, plan: 'pro' },
    });
    await fixture.whenStable();
    const text = el.textContent ?? '';
    expect(text).toContain('["red","blue"]');
    expect(text).toContain('{"min":5}');
    expect(text).toContain('pro');
    expect(text).not.toContain('[object Object]');
  });

  it('says "not found" without a useless retry for a malformed id', async () => {
    const { fixture, http, el } = await render('abc');
    http
      .expectOne('/api/v1/leads/abc')
      .flush({ statusCode: 400, message: 'id: Invalid UUID' }, { status: 400, statusText: 'Bad' });
    await fixture.whenStable();
    expect(el.textContent).toContain('Lead not found');
    expect(el.textContent).not.toContain('Invalid UUID');
    expect(el.textContent).not.toContain('Try again');
  });
});
