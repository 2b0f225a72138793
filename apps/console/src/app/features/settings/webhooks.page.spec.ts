import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { provideRouter } from '@angular/router';
import type { Webhook, WebhookDelivery } from '@acc/contracts';
import { Notifier } from '../../core/notifier';
import { signInAs } from '../../testing/session';
import { WebhooksPage } from './webhooks.page';

const HOOK: Webhook = {
  id: 'w1',
  url: 'https://crm.example.com/hooks/acc',
  description: 'CRM',
  events: ['lead.created', 'call.ended'],
  enabled: true,
  disabledReason: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const FAILED: WebhookDelivery = {
  id: 'd1',
  eventId: 'e1',
  type: 'lead.created',
  status: 'failed',
  attempts: 8,
  responseStatus: 503,
  responseBody: 'upstream down',
  durationMs: 42,
  error: 'answered 503',
  lastAttemptAt: '2026-01-02T00:00:00Z',
  nextAttemptAt: null,
  createdAt: '2026-01-01T00:00:00Z',
};
const SECRET = `whsec_${'A'.repeat(43)}=`;

async function render(hooks: Webhook[] = [HOOK], log: WebhookDelivery[] = [FAILED]) {
  TestBed.configureTestingModule({
    imports: [WebhooksPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideNoopAnimations(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  signInAs('admin');
  const fixture = TestBed.createComponent(WebhooksPage);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne((r) => r.url === '/api/v1/webhooks').flush({ data: hooks, nextCursor: null });
  await fixture.whenStable();
  if (hooks.length) {
    http
      .expectOne((r) => r.url === `/api/v1/webhooks/${hooks[0].id}/deliveries`)
      .flush({ data: log, nextCursor: null });
    await fixture.whenStable();
  }
  const el = fixture.nativeElement as HTMLElement;
  const byId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
  const inDialog = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement;
  return { fixture, http, el, byId, inDialog };
}

// dialogs and Material forms take seconds in jsdom on a busy machine
jest.setTimeout(30_000);

describe('WebhooksPage', () => {
  afterEach(() =>
    document.body.querySelectorAll('.cdk-overlay-container').forEach((o) => o.remove()),
  );

  it("lists endpoints with their events, and the first one's delivery log with the last answer", async () => {
    const { el, byId } = await render();
    expect(byId('webhook-row').textContent).toContain(HOOK.url);
    expect(byId('webhook-row').textContent).toContain('call.ended');
    expect(byId('delivery-status').textContent?.trim()).toBe('Failed');
    expect(byId('delivery-answer').textContent).toContain('503');
    expect(byId('delivery-answer').textContent).toContain('upstream down');
    expect(el.textContent).not.toContain('whsec_');
  });

  it('retries a delivery and shows it pending', async () => {
    const { fixture, http, byId } = await render();
    byId('delivery-retry').click();
    http
      .expectOne({ url: '/api/v1/webhooks/w1/deliveries/d1/retry', method: 'POST' })
      .flush({ ...FAILED, status: 'pending', nextAttemptAt: '2026-01-03T00:00:00Z' });
    await fixture.whenStable();
    expect(byId('delivery-status').textContent?.trim()).toBe('Pending');
  });

  it('adds an endpoint: at least one event, then the secret once, then listed without it', async () => {
    const { fixture, http, el, byId, inDialog } = await render([]);
    byId('webhook-new').click();
    await fixture.whenStable();
    const url = inDialog('webhook-url') as HTMLInputElement;
    url.value = 'https://hooks.example.com/x';
    url.dispatchEvent(new Event('input'));
    inDialog('webhook-save').click();
    await fixture.whenStable();
    expect(document.body.textContent).toContain('Choose at least one event');
    http.expectNone('/api/v1/webhooks');

    (inDialog('webhook-event-call.ended').querySelector('input') as HTMLInputElement).click();
    inDialog('webhook-save').click();
    const req = http.expectOne({ url: '/api/v1/webhooks', method: 'POST' });
    expect(req.request.body).toEqual({
      url: 'https://hooks.example.com/x',
      description: null,
      events: ['call.ended'],
      enabled: true,
    });
    req.flush({ ...HOOK, id: 'w2', url: 'https://hooks.example.com/x', secret: SECRET });
    await fixture.whenStable();
    expect((inDialog('webhook-secret') as HTMLInputElement).value).toBe(SECRET);

    inDialog('webhook-done').click();
    await fixture.whenStable();
    http
      .expectOne((r) => r.url === '/api/v1/webhooks/w2/deliveries')
      .flush({ data: [], nextCursor: null });
    await fixture.whenStable();
    expect(byId('webhook-row').textContent).toContain('https://hooks.example.com/x');
    expect(el.textContent).not.toContain(SECRET);
  });
});
