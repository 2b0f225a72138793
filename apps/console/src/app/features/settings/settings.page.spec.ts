import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { ActivatedRouteSnapshot, RouterStateSnapshot, provideRouter } from '@angular/router';
import type { TenantConfig } from '@acc/contracts';
import { Observable, firstValueFrom, of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { unsavedChangesGuard } from '../../core/unsaved-changes';
import { Confirm } from '../../shared/confirm-dialog';
import { signInAs } from '../../testing/session';
import screens from '../../screens.routes';
import { SettingsPage } from './settings.page';

// The first render of the whole page takes 4-5 s on a loaded two-core machine.
jest.setTimeout(20_000);

const CONFIG: TenantConfig = {
  timezone: 'Europe/Paris',
  callingWindowStart: '09:00',
  callingWindowEnd: '18:00',
  callingDays: [1, 2, 3, 4, 5],
  defaultAgentId: null,
  maxConcurrentCalls: 5,
  recordingEnabled: true,
  settings: {},
  updatedAt: '2026-11-01T00:00:00Z',
};

async function render() {
  localStorage.clear();
  const ask = jest.fn(() => of(false));
  TestBed.configureTestingModule({
    imports: [SettingsPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      provideNoopAnimations(),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
      { provide: Confirm, useValue: { ask } },
    ],
  });
  signInAs('admin');
  const fixture = TestBed.createComponent(SettingsPage);
  const http = TestBed.inject(HttpTestingController);
  http.match('/api/v1/agents').forEach((r) => r.flush({ data: [], nextCursor: null }));
  http.expectOne('/api/v1/tenant').flush({
    id: 't',
    name: 'Acme',
    slug: 'acme',
    domain: null,
    status: 'active',
    plan: 'p',
    createdAt: '2025-01-01T00:00:00Z',
  });
  http.expectOne('/api/v1/tenant/config').flush(CONFIG);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const button = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement;
  const maxCalls = el.querySelector('[data-testid="config-max-calls"]') as HTMLInputElement;
  const setMaxCalls = async (v: string) => {
    maxCalls.value = v;
    maxCalls.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  const dayBox = (label: string) =>
    [...el.querySelectorAll<HTMLInputElement>('.days input[type=checkbox]')].find(
      (i) => i.closest('mat-checkbox')?.textContent?.trim() === label,
    ) as HTMLInputElement;
  const click = async (e: HTMLElement) => {
    e.click();
    await fixture.whenStable();
  };
  const leave = () =>
    firstValueFrom(
      TestBed.runInInjectionContext(
        () =>
          unsavedChangesGuard(
            {} as ActivatedRouteSnapshot,
            {} as RouterStateSnapshot,
          ) as Observable<boolean>,
      ),
    );
  return { fixture, button, maxCalls, setMaxCalls, dayBox, click, leave, ask };
}

describe('SettingsPage: unsaved changes', () => {
  it('enables Save only while the values differ from the loaded ones', async () => {
    const { button, setMaxCalls, dayBox, click } = await render();
    expect(button('config-save').disabled).toBe(true);
    await setMaxCalls('6');
    expect(button('config-save').disabled).toBe(false);
    await setMaxCalls('5');
    expect(button('config-save').disabled).toBe(true);
    await click(dayBox('Sat'));
    expect(button('config-save').disabled).toBe(false);
    await click(dayBox('Sat'));
    expect(button('config-save').disabled).toBe(true);
  });

  it('Discard puts back the loaded values', async () => {
    const { button, maxCalls, setMaxCalls, dayBox, click } = await render();
    await setMaxCalls('9');
    await click(dayBox('Sun'));
    await click(button('config-discard'));
    expect(maxCalls.value).toBe('5');
    expect(dayBox('Sun').checked).toBe(false);
    expect(button('config-save').disabled).toBe(true);
    expect(button('config-discard').disabled).toBe(true);
  });

  it('asks before leaving with unsaved changes, and only then', async () => {
    const { setMaxCalls, leave, ask } = await render();
    expect(await leave()).toBe(true);
    expect(ask).not.toHaveBeenCalled();
    await setMaxCalls('6');
    expect(await leave()).toBe(false);
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ confirmText: 'Discard' }));
  });

  it('has the browser ask on reload or tab close with unsaved changes', async () => {
    const { setMaxCalls } = await render();
    const unload = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(unload()).toBe(false);
    await setMaxCalls('6');
    expect(unload()).toBe(true);
  });

  it('is guarded with every screen (the screens root route asks before any move)', () => {
    expect(screens[0].canActivateChild).toContain(unsavedChangesGuard);
  });
});

describe('SettingsPage: messages in plain words', () => {
  it('words the time, time zone and concurrency fields for people', async () => {
    const { fixture } = await render();
    const el = fixture.nativeElement as HTMLElement;
    const set = (id: string, v: string) => {
      const input = el.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
      input.value = v;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('blur'));
    };
    set('config-start', '');
    set('config-timezone', 'Mars/Olympus');
    set('config-max-calls', '7.5');
    (el.querySelector('[data-testid="config-save"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    const errors = [...el.querySelectorAll('mat-error')].map((e) => e.textContent?.trim());
    expect(errors).toEqual(
      expect.arrayContaining([
        'Enter a time such as 09:00',
        'Choose a time zone from the list, such as Europe/Paris',
        'Enter a whole number',
      ]),
    );
    expect(el.textContent).not.toMatch(/HH:MM|IANA/);
  });
});

describe('SettingsPage: calling days', () => {
  it('will not save without a calling day, and says so', async () => {
    const { fixture, button, dayBox, click } = await render();
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await click(dayBox(day));
    await click(button('config-save'));
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.days .error')?.textContent).toContain(
      'Choose at least one calling day',
    );
    TestBed.inject(HttpTestingController).expectNone({ method: 'PUT' });
  });
});
