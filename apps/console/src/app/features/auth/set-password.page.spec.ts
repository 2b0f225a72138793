import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { SetPasswordPage } from './set-password.page';

const TOKEN = 'a'.repeat(32);
const CHECK = '/api/v1/auth/reset-password/check';
const DEAD = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'this link is invalid, expired or already used',
};

/** `check`: how the API answers the link's check as the page opens (a live link by default). */
async function render(token: string | null, check: 'live' | 'dead' | 'none' = 'live') {
  const params = convertToParamMap(token ? { token } : {});
  TestBed.configureTestingModule({
    imports: [SetPasswordPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
      {
        provide: ActivatedRoute,
        useValue: {
          snapshot: { queryParamMap: params },
          queryParamMap: of(params),
        },
      },
    ],
  });
  const fixture = TestBed.createComponent(SetPasswordPage);
  const http = TestBed.inject(HttpTestingController);
  if (check !== 'none') {
    const req = http.expectOne(CHECK);
    expect(req.request.body).toEqual({ token });
    if (check === 'live') {
      req.flush({ email: 'jo@example.com', expiresAt: '2026-12-07T12:00:00.000Z' });
    } else {
      req.flush(DEAD, { status: 400, statusText: 'Bad Request' });
    }
  }
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const type = (testId: string, value: string) => {
    const input = el.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!input) throw new Error(`no ${testId}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const submit = async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="reset-submit"]')?.click();
    await fixture.whenStable();
  };
  return { fixture, el, type, submit, http };
}

describe('SetPasswordPage', () => {
  it('explains a link without a token', async () => {
    const { el } = await render(null, 'none');
    expect(el.querySelector('[data-testid="reset-no-token"]')).not.toBeNull();
  });

  it('says at once that a link is dead, before any password is typed', async () => {
    const { el } = await render(TOKEN, 'dead');
    const notice = el.querySelector('[data-testid="reset-link-dead"]');
    expect(notice?.textContent).toContain('This link has expired or was already used');
    expect(el.querySelector('[data-testid="reset-password"]')).toBeNull();
    expect(el.querySelector('a[href="/forgot-password"]')).not.toBeNull();
  });

  it('refuses a malformed token without asking the API', async () => {
    const { el } = await render('short', 'none');
    expect(el.querySelector('[data-testid="reset-link-dead"]')).not.toBeNull();
  });

  it('names the account whose password a live link sets', async () => {
    const { el } = await render(TOKEN);
    expect(el.querySelector('[data-testid="reset-for"]')?.textContent).toContain('jo@example.com');
    expect(el.querySelector('[data-testid="reset-password"]')).not.toBeNull();
  });

  it('requires matching passwords of the contract length', async () => {
    const { el, type, submit, http } = await render(TOKEN);
    type('reset-password', 'short');
    type('reset-confirm', 'other');
    await submit();
    expect(el.textContent).toContain('At least 8 characters');
    expect(el.textContent).toContain('Passwords do not match');
    http.expectNone('/api/v1/auth/reset-password');
  });

  it('shows why the API refused the token', async () => {
    const { el, fixture, type, submit, http } = await render(TOKEN);
    type('reset-password', 'a-good-password');
    type('reset-confirm', 'a-good-password');
    await submit();
    http
      .expectOne('/api/v1/auth/reset-password')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: 'This link has expired' },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="reset-error"]')?.textContent).toContain(
      'This link has expired',
    );
  });

  it('explains a used link in plain words, with a way forward', async () => {
    const { el, fixture, type, submit, http } = await render(TOKEN);
    type('reset-password', 'a-good-password');
    type('reset-confirm', 'a-good-password');
    await submit();
    http.expectOne('/api/v1/auth/reset-password').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'this link is invalid, expired or already used',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    const notice = el.querySelector('[data-testid="reset-error"]');
    expect(notice?.textContent).toContain('This link has expired or was already used');
    expect(notice?.querySelector('a[href="/forgot-password"]')).not.toBeNull();
  });
});
