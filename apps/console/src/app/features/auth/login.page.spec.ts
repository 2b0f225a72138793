import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router, convertToParamMap, provideRouter } from '@angular/router';
import { authInterceptor } from '../../core/auth.interceptor';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { LoginPage } from './login.page';

const authResponse = {
  token: 'tok',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  user: { id: 'u1', email: 'ann@example.com', fullName: 'Ann', createdAt: '2025-01-01T00:00:00Z' },
  tenant: {
    id: 't1',
    name: 'Acme',
    slug: 'acme',
    domain: null,
    status: 'active',
    plan: 'pro',
    createdAt: '2025-01-01T00:00:00Z',
  },
  role: 'admin',
};

async function render(query: Record<string, string> = {}) {
  localStorage.clear();
  const notifier = { error: jest.fn(), success: jest.fn() };
  TestBed.configureTestingModule({
    imports: [LoginPage],
    providers: [
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: notifier },
      {
        provide: ActivatedRoute,
        useValue: { snapshot: { queryParamMap: convertToParamMap(query) } },
      },
    ],
  });
  const fixture = TestBed.createComponent(LoginPage);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  const type = (testId: string, value: string) => {
    const input = el.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!input) throw new Error(`no ${testId}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const submit = async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')?.click();
    await fixture.whenStable();
  };
  return {
    fixture,
    el,
    router,
    type,
    submit,
    http: TestBed.inject(HttpTestingController),
    notifier,
  };
}

describe('LoginPage', () => {
  it('shows field errors from the shared schema and sends nothing', async () => {
    const { el, type, submit, http } = await render();
    type('login-email', 'not-an-email');
    await submit();
    expect(el.textContent).toContain('Enter a valid email address');
    expect(el.textContent).toContain('Required');
    http.expectNone('/api/v1/auth/login');
  });

  it('signs in and goes to the return URL', async () => {
    const { type, submit, http, router } = await render({ returnUrl: '/leads?status=new' });
    type('login-email', ' Ann@Example.com ');
    type('login-password', 'secret-password');
    await submit();
    const req = http.expectOne('/api/v1/auth/login');
    // The schema normalises the email before it is sent.
    expect(req.request.body).toEqual({ email: 'ann@example.com', password: 'secret-password' });
    req.flush(authResponse);
    expect(TestBed.inject(AuthStore).role()).toBe('admin');
    expect(router.navigateByUrl).toHaveBeenCalledWith('/leads?status=new');
  });

  it('refuses a return URL to another site', async () => {
    const { type, submit, http, router } = await render({ returnUrl: '//evil.example.com' });
    type('login-email', 'ann@example.com');
    type('login-password', 'secret-password');
    await submit();
    http.expectOne('/api/v1/auth/login').flush(authResponse);
    expect(router.navigateByUrl).toHaveBeenCalledWith('/dashboard');
  });

  it('says so inline when the credentials are wrong', async () => {
    const { el, fixture, type, submit, http, notifier, router } = await render();
    type('login-email', 'ann@example.com');
    type('login-password', 'wrong');
    await submit();
    http
      .expectOne('/api/v1/auth/login')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="login-error"]')?.textContent).toContain(
      'Incorrect email or password',
    );
    expect(notifier.error).not.toHaveBeenCalled();
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });
});
