import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { LeadsListPage } from './leads-list.page';
import { openRoute } from '../../testing/route-harness';
import { signInAs } from '../../testing/session';

interface PageInternals {
  status: { setValue(v: string): void };
  q: { setValue(v: string, o?: object): void };
  exportCsv(): void;
  exportLabel(): string;
  selection: { select(...ids: string[]): void };
  bulkDelete(): void;
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
      { provide: Confirm, useValue: { ask: () => of(true) } },
    ],
  });
  signInAs('member');
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

  it('says whether the export writes all leads or the filtered ones', async () => {
    const { page } = await render();
    expect(page.exportLabel()).toBe('Export all leads');
    page.status.setValue('qualified');
    expect(page.exportLabel()).toBe('Export filtered leads');
  });

  it('reports a bulk delete as deleted, singular or plural', async () => {
    const { page, http } = await render();
    const notifier = TestBed.inject(Notifier);
    http.expectOne((r) => r.url === '/api/v1/leads').flush({ data: [], nextCursor: null });
    page.selection.select('l1');
    page.bulkDelete();
    http.expectOne({ url: '/api/v1/leads/l1', method: 'DELETE' }).flush(null);
    expect(notifier.success).toHaveBeenLastCalledWith('1 lead deleted');
    page.selection.select('l2', 'l3');
    page.bulkDelete();
    http.match({ method: 'DELETE' }).forEach((r) => r.flush(null));
    expect(notifier.success).toHaveBeenLastCalledWith('2 leads deleted');
  });
});

const lead = {
  id: '7c1f1a52-0000-4000-8000-000000000001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  phone: '+14155550101',
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
  externalId: null,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
};

describe('LeadsListPage: the filters live in the URL', () => {
  async function open(url: string) {
    const { harness, http, router } = await openRoute(LeadsListPage, url);
    http.match('/api/v1/agents').forEach((r) => r.flush({ data: [], nextCursor: null }));
    return { harness, http, el: harness.routeNativeElement as HTMLElement, router };
  }

  const listParams = (http: HttpTestingController) =>
    http.match((r) => r.url === '/api/v1/leads').map((r) => r.request.params);

  it('opens with the search and filters of the URL (Back, reload)', async () => {
    const { http, el } = await open('/leads?q=Smith&status=qualified&tag=vip');
    const [params] = listParams(http);
    expect(params.get('q')).toBe('Smith');
    expect(params.get('status')).toBe('qualified');
    expect(params.get('tag')).toBe('vip');
    const search = el.querySelector('[data-testid="leads-search"]') as HTMLInputElement;
    expect(search?.value).toBe('Smith');
  });

  it('writes a search to the URL, replacing the history entry', async () => {
    const { http, el, harness, router } = await open('/leads');
    listParams(http);
    const navigate = jest.spyOn(router, 'navigate');
    const search = el.querySelector('[data-testid="leads-search"]') as HTMLInputElement;
    search.value = 'Smith';
    search.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 350));
    await harness.fixture.whenStable();
    expect(router.url).toBe('/leads?q=Smith');
    expect(navigate.mock.calls[0][1]).toMatchObject({ replaceUrl: true });
    expect(listParams(http).map((p) => p.get('q'))).toEqual(['Smith']);
  });

  it('sorts on the server: the URL order goes to the API, shows on its header, with the total', async () => {
    const { http, el, harness } = await open('/leads?sort=-name');
    const [req] = http.match((r) => r.url === '/api/v1/leads');
    expect(req.request.params.get('sort')).toBe('-name');
    req.flush({ data: [lead], nextCursor: 'next', total: 1234 });
    await harness.fixture.whenStable();
    expect(el.querySelector('[data-testid="leads-total"]')?.textContent?.trim()).toBe(
      '1,234 leads',
    );
    const header = (id: string) => el.querySelector(`[data-testid="sort-${id}"]`) as HTMLElement;
    expect(header('name').getAttribute('aria-sort')).toBe('descending');
    expect(header('created').getAttribute('aria-sort')).toBe('none');
  });

  it('a header click rewrites the URL and reloads from the first page in that order', async () => {
    const { http, el, harness, router } = await open('/leads?status=new');
    http
      .match((r) => r.url === '/api/v1/leads')
      .forEach((r) => r.flush({ data: [lead], nextCursor: 'next', total: 51 }));
    await harness.fixture.whenStable();
    (
      el.querySelector('[data-testid="sort-status"] .mat-sort-header-container') as HTMLElement
    ).click();
    await harness.fixture.whenStable();
    expect(router.url).toBe('/leads?status=new&sort=status');
    const [params] = listParams(http);
    expect(params.get('sort')).toBe('status');
    expect(params.get('status')).toBe('new');
    expect(params.has('cursor')).toBe(false);
  });

  it('opens newest first: no sort in the URL or the request, the Added header descending', async () => {
    const { http, el, harness } = await open('/leads?sort=phone');
    const [req] = http.match((r) => r.url === '/api/v1/leads');
    expect(req.request.params.get('sort')).toBe('-createdAt');
    req.flush({ data: [lead], nextCursor: null, total: 1 });
    await harness.fixture.whenStable();
    const created = el.querySelector('[data-testid="sort-created"]') as HTMLElement;
    expect(created.getAttribute('aria-sort')).toBe('descending');
    expect(el.querySelector('[data-testid="leads-total"]')?.textContent?.trim()).toBe('1 lead');
  });

  it('selects with native boxes: named after their lead, a click or Space, select all and its mixed state', async () => {
    const { http, el, harness, router } = await open('/leads');
    const second = { ...lead, id: '7c1f1a52-0000-4000-8000-000000000002', firstName: 'Grace' };
    second.lastName = 'Hopper';
    http
      .match((r) => r.url === '/api/v1/leads')
      .forEach((r) => r.flush({ data: [lead, second], nextCursor: null, total: 2 }));
    await harness.fixture.whenStable();
    const navigate = jest.spyOn(router, 'navigate');
    const boxes = () =>
      Array.from(el.querySelectorAll<HTMLInputElement>('[data-testid="lead-select"]'));
    const all = () => el.querySelector('[data-testid="select-all"]') as HTMLInputElement;
    const bar = () => el.querySelector('[data-testid="bulk-bar"]')?.textContent ?? '';
    expect(boxes().map((b) => [b.type, b.getAttribute('aria-label')])).toEqual([
      ['checkbox', 'Select Ada Lovelace'],
      ['checkbox', 'Select Grace Hopper'],
    ]);
    expect(all().getAttribute('aria-label')).toBe('Select all');

    // a click on the box (Space clicks it too) selects the row and does not open the lead
    boxes()[0].click();
    await harness.fixture.whenStable();
    expect(navigate).not.toHaveBeenCalled();
    expect(boxes().map((b) => b.checked)).toEqual([true, false]);
    expect(el.querySelectorAll('tr.selected')).toHaveLength(1);
    expect(bar()).toContain('1 selected');
    expect([all().checked, all().indeterminate]).toEqual([false, true]);

    all().click();
    await harness.fixture.whenStable();
    expect(boxes().map((b) => b.checked)).toEqual([true, true]);
    expect([all().checked, all().indeterminate]).toEqual([true, false]);
    expect(bar()).toContain('2 selected');

    all().click();
    await harness.fixture.whenStable();
    expect(boxes().map((b) => b.checked)).toEqual([false, false]);
    expect(el.querySelector('[data-testid="bulk-bar"]')).toBeNull();
  });

  it('ignores an unknown status in the URL', async () => {
    const { http } = await open('/leads?status=bogus');
    expect(listParams(http)[0].has('status')).toBe(false);
  });
});
