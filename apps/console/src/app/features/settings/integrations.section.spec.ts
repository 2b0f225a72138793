import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { Integration } from '@acc/contracts';
import { Notifier } from '../../core/notifier';
import { signInAs } from '../../testing/session';
import { IntegrationsSection } from './integrations.section';

const URL = (p: string) => `https://calls.example.com/api/v1/integrations/${p}/events/t-1`;
const LIST: Integration[] = [
  {
    provider: 'vapi',
    eventsUrl: URL('vapi'),
    configured: false,
    lastEventAt: null,
    updatedAt: null,
  },
  {
    provider: 'retell',
    eventsUrl: URL('retell'),
    configured: true,
    lastEventAt: '2026-11-02T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
  },
];

async function render() {
  localStorage.clear();
  const success = jest.fn();
  TestBed.configureTestingModule({
    imports: [IntegrationsSection],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideNoopAnimations(),
      { provide: Notifier, useValue: { error: jest.fn(), success } },
    ],
  });
  signInAs('admin');
  const fixture = TestBed.createComponent(IntegrationsSection);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/v1/integrations').flush({ data: LIST });
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const byId = <T extends HTMLElement>(id: string) =>
    el.querySelector(`[data-testid="${id}"]`) as T;
  return { fixture, http, el, byId, success };
}

describe('IntegrationsSection', () => {
  it('shows each provider with its URL, whether it is set up and its last event', async () => {
    const { byId } = await render();
    expect(byId<HTMLInputElement>('integration-vapi-url').value).toBe(URL('vapi'));
    expect(byId('integration-vapi-state').textContent?.trim()).toBe('Not configured');
    expect(byId('integration-vapi-last-event').textContent?.trim()).toBe('No event received yet');
    expect(byId('integration-retell-state').textContent?.trim()).toBe('Configured');
    expect(byId('integration-retell-last-event').textContent).toContain('Last event received');
  });

  it("saves Vapi's secret as {secret} and Retell's as {apiKey}, then forgets it", async () => {
    const { fixture, http, byId, success } = await render();
    const input = byId<HTMLInputElement>('integration-vapi-secret');
    input.value = 'my-vapi-secret-1';
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    byId<HTMLButtonElement>('integration-vapi-save').click();
    const put = http.expectOne('/api/v1/integrations/vapi');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ secret: 'my-vapi-secret-1' });
    put.flush({ ...LIST[0], configured: true, updatedAt: '2026-11-03T00:00:00Z' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(byId('integration-vapi-state').textContent?.trim()).toBe('Configured');
    expect(byId<HTMLInputElement>('integration-vapi-secret').value).toBe('');
    expect(success).toHaveBeenCalledWith('Vapi secret saved');

    const key = byId<HTMLInputElement>('integration-retell-secret');
    key.value = 'key_retell_123456';
    key.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    byId<HTMLButtonElement>('integration-retell-save').click();
    expect(http.expectOne('/api/v1/integrations/retell').request.body).toEqual({
      apiKey: 'key_retell_123456',
    });
  });

  it('refuses a secret the API would refuse, without a request', async () => {
    const { fixture, http, byId, el } = await render();
    const input = byId<HTMLInputElement>('integration-vapi-secret');
    input.value = 'short';
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    byId<HTMLButtonElement>('integration-vapi-save').click();
    fixture.detectChanges();
    http.expectNone('/api/v1/integrations/vapi');
    expect(el.textContent).toContain('At least 8 characters');
  });
});
