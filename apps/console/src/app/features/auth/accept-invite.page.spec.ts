import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router, convertToParamMap, provideRouter } from '@angular/router';
import type { LinkedInvitation } from '@acc/contracts';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { AcceptInvitePage } from './accept-invite.page';

const TOKEN = 'a'.repeat(43);

const linked = (hasAccount: boolean): LinkedInvitation => ({
  id: '00000000-0000-4000-8000-000000000001',
  tenant: { id: '00000000-0000-4000-8000-000000000002', name: 'Acme Calls' },
  role: 'admin',
  invitedBy: 'Ada Admin',
  expiresAt: '2099-01-01T00:00:00.000Z',
  email: 'ivy@x.co',
  hasAccount,
});

async function render(token: string | null) {
  localStorage.clear();
  const params = convertToParamMap(token ? { token } : {});
  TestBed.configureTestingModule({
    imports: [AcceptInvitePage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
      { provide: ActivatedRoute, useValue: { snapshot: { queryParamMap: params } } },
    ],
  });
  const fixture = TestBed.createComponent(AcceptInvitePage);
  const http = TestBed.inject(HttpTestingController);
  const el = fixture.nativeElement as HTMLElement;
  const byId = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const type = (id: string, value: string) => {
    const input = byId(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  return { fixture, http, el, byId, type, settle };
}

/** The page with the preview of `inv` answered. */
async function opened(inv: LinkedInvitation) {
  const page = await render(TOKEN);
  const preview = page.http.expectOne('/api/v1/auth/invitation');
  expect(preview.request.body).toEqual({ token: TOKEN });
  preview.flush(inv);
  await page.settle();
  return page;
}

describe('AcceptInvitePage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('explains a link without a token, asking the API nothing', async () => {
    const { byId, settle } = await render(null);
    await settle();
    expect(byId('invite-invalid')?.textContent).toContain('incomplete');
  });

  it('names the workspace, then a new account chooses a password and is signed in there', async () => {
    const { byId, type, http, settle } = await opened(linked(false));
    expect(byId('invite-workspace')?.textContent).toContain('Join Acme Calls');
    expect(byId('invite-details')?.textContent).toContain('Ada Admin invited ivy@x.co');
    type('invite-password', 'a-good-password');
    type('invite-confirm', 'another-password');
    byId('invite-accept')?.click();
    await settle();
    http.expectNone('/api/v1/auth/accept-invite');

    type('invite-confirm', 'a-good-password');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    byId('invite-accept')?.click();
    const req = http.expectOne('/api/v1/auth/accept-invite');
    expect(req.request.body).toEqual({ token: TOKEN, password: 'a-good-password' });
    req.flush({
      token: 'jwt',
      expiresAt: '2099-01-01T00:00:00.000Z',
      user: { id: 'u', email: 'ivy@x.co', fullName: 'Ivy', createdAt: '2025-01-01T00:00:00Z' },
      tenant: {
        id: '00000000-0000-4000-8000-000000000002',
        name: 'Acme Calls',
        slug: 'acme',
        domain: null,
        status: 'active',
        plan: 'free',
        createdAt: '2025-01-01T00:00:00Z',
      },
      role: 'admin',
    });
    await settle();
    const auth = TestBed.inject(AuthStore);
    expect([auth.token(), auth.tenant()?.name, auth.role()]).toEqual([
      'jwt',
      'Acme Calls',
      'admin',
    ]);
    expect(navigate).toHaveBeenCalledWith('/dashboard');
  });

  it('asks an existing account for its own password only, and says so when it is wrong', async () => {
    const { byId, type, http, settle } = await opened(linked(true));
    expect(byId('invite-confirm')).toBeNull();
    type('invite-password', 'not-my-password');
    byId('invite-accept')?.click();
    http
      .expectOne('/api/v1/auth/accept-invite')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'already has a password' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await settle();
    expect(byId('invite-error')?.textContent).toContain('That is not the password of ivy@x.co');
  });

  it('declines without a password', async () => {
    const { byId, http, settle } = await opened(linked(false));
    byId('invite-decline')?.click();
    const req = http.expectOne('/api/v1/auth/decline-invite');
    expect(req.request.body).toEqual({ token: TOKEN });
    req.flush(null);
    await settle();
    expect(byId('invite-declined')?.textContent).toContain(
      'You declined the invitation to Acme Calls',
    );
  });

  it('explains a dead link in plain words', async () => {
    const { http, byId, settle } = await render(TOKEN);
    http
      .expectOne('/api/v1/auth/invitation')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: 'this invitation link is invalid' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    expect(byId('invite-invalid')?.textContent).toContain(
      'Ask a workspace admin to send you a new one',
    );
  });
});
