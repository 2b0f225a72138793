import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { ApiKey, CreatedApiKey } from '@acc/contracts';
import { of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { signInAs } from '../../testing/session';
import { ApiKeysSection } from './api-keys.section';
import { expiryFor } from './create-api-key.dialog';

const KEY: ApiKey = {
  id: 'k1',
  name: 'CRM sync',
  prefix: 'acc_yGAl4S',
  role: 'member',
  createdAt: '2026-01-01T00:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
  createdBy: { id: 'u', name: 'Ada Admin' },
};
const SECRET = `acc_${'Z'.repeat(43)}`;

async function render(keys: ApiKey[] = [KEY]) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [ApiKeysSection],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideNoopAnimations(),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  signInAs('admin');
  const fixture = TestBed.createComponent(ApiKeysSection);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne((r) => r.url === '/api/v1/api-keys').flush({ data: keys, nextCursor: null });
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const cells = (id: string) =>
    [...el.querySelectorAll(`[data-testid="${id}"]`)].map((c) => c.textContent?.trim());
  const inDialog = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement;
  return { fixture, http, el, cells, inDialog };
}

describe('ApiKeysSection', () => {
  afterEach(() =>
    document.body.querySelectorAll('.cdk-overlay-container').forEach((o) => o.remove()),
  );

  it('lists keys by prefix, with who made them and their use, never a secret', async () => {
    const used = { ...KEY, id: 'k2', lastUsedAt: '2026-01-02T10:00:00Z' };
    const { cells, el } = await render([KEY, used]);
    expect(cells('api-key-prefix')).toEqual(['acc_yGAl4S…', 'acc_yGAl4S…']);
    expect(cells('api-key-last-used')[0]).toBe('Never used');
    expect(cells('api-key-last-used')[1]).not.toBe('Never used');
    expect(cells('api-key-expires')).toEqual(['never', 'never']);
    expect(el.textContent).toContain('by Ada Admin');
  });

  it('creates a key, shows it once, and lists it without the secret after Done', async () => {
    const { fixture, http, el, cells, inDialog } = await render([]);
    (el.querySelector('[data-testid="api-key-new"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    const name = inDialog('api-key-name') as HTMLInputElement;
    name.value = 'Dialer';
    name.dispatchEvent(new Event('input'));
    inDialog('api-key-create').click();
    const req = http.expectOne({ url: '/api/v1/api-keys', method: 'POST' });
    expect(req.request.body).toEqual({ name: 'Dialer', role: 'member', expiresAt: null });
    const created: CreatedApiKey = { ...KEY, id: 'k9', name: 'Dialer', key: SECRET };
    req.flush(created);
    await fixture.whenStable();
    expect((inDialog('api-key-secret') as HTMLInputElement).value).toBe(SECRET);
    expect(inDialog('api-key-once').textContent).toContain('only time the key is shown');

    inDialog('api-key-done').click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(inDialog('api-key-secret')).toBeNull();
    expect(cells('api-key-prefix')).toEqual(['acc_yGAl4S…']);
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('refuses an empty name without asking the server', async () => {
    const { fixture, http, el, inDialog } = await render([]);
    (el.querySelector('[data-testid="api-key-new"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    inDialog('api-key-create').click();
    await fixture.whenStable();
    http.expectNone({ url: '/api/v1/api-keys', method: 'POST' });
    expect(document.body.textContent).toContain('Required');
  });

  it('revokes after confirmation and drops the row', async () => {
    const { fixture, http, el, cells } = await render();
    const ask = jest.spyOn(TestBed.inject(Confirm), 'ask').mockReturnValue(of(true));
    (el.querySelector('[data-testid="api-key-revoke"]') as HTMLButtonElement).click();
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Revoke the key CRM sync?' }),
    );
    http.expectOne({ url: '/api/v1/api-keys/k1', method: 'DELETE' }).flush(null);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(cells('api-key-row')).toEqual([]);
  });

  it('turns a lifetime into an expiry date, none for Never', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(expiryFor(0, now)).toBeNull();
    expect(expiryFor(30, now)).toBe('2026-01-31T00:00:00.000Z');
  });
});
