import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { SetPasswordPage } from './set-password.page';

const TOKEN = 'a'.repeat(32);

async function render(token: string | null) {
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
  return { fixture, el, type, submit, http: TestBed.inject(HttpTestingController) };
}

describe('SetPasswordPage', () => {
  it('explains a link without a token', async () => {
    const { el } = await render(null);
    expect(el.querySelector('[data-testid="reset-no-token"]')).not.toBeNull();
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
