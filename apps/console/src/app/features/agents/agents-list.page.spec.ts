import { HttpTestingController } from '@angular/common/http/testing';
import { openRoute } from '../../testing/route-harness';
import { AgentsListPage, inView } from './agents-list.page';

describe('AgentsListPage: the filters live in the URL', () => {
  async function open(url: string) {
    const { harness, http, router } = await openRoute(AgentsListPage, url);
    return { harness, http, el: harness.routeNativeElement as HTMLElement, router };
  }

  const listParams = (http: HttpTestingController) =>
    http.match((r) => r.url === '/api/v1/agents').map((r) => r.request.params);

  it('opens with the search and status of the URL (Back, reload)', async () => {
    const { http, el } = await open('/agents?q=Ava&status=paused');
    const [params] = listParams(http);
    expect(params.get('q')).toBe('Ava');
    expect(params.get('status')).toBe('paused');
    expect(el.querySelector<HTMLInputElement>('[data-testid="agents-search"]')?.value).toBe('Ava');
  });

  it('writes a search to the URL, replacing the history entry', async () => {
    const { http, el, harness, router } = await open('/agents');
    listParams(http);
    const navigate = jest.spyOn(router, 'navigate');
    const search = el.querySelector('[data-testid="agents-search"]') as HTMLInputElement;
    search.value = 'Ava';
    search.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 350));
    await harness.fixture.whenStable();
    expect(router.url).toBe('/agents?q=Ava');
    expect(navigate.mock.calls[0][1]).toMatchObject({ replaceUrl: true });
    expect(listParams(http).map((p) => p.get('q'))).toEqual(['Ava']);
  });

  it.each([
    ['/agents', { archived: 'exclude', status: null }],
    ['/agents?status=all', { archived: null, status: null }],
    ['/agents?status=archived', { archived: null, status: 'archived' }],
    ['/agents?status=paused', { archived: null, status: 'paused' }],
  ])('archived agents are hidden by default: %s asks for %j', async (url, expected) => {
    const { http } = await open(url);
    const [params] = listParams(http);
    expect({ archived: params.get('archived'), status: params.get('status') }).toEqual(expected);
  });
});

describe('inView: an agent whose status changed stays in the list only if it still belongs', () => {
  it.each([
    ['', 'active', true],
    ['', 'paused', true],
    ['', 'archived', false],
    ['all', 'archived', true],
    ['paused', 'active', false],
    ['archived', 'archived', true],
  ] as const)('view %p, status %p: %p', (view, status, shown) => {
    expect(inView(view, status)).toBe(shown);
  });
});
