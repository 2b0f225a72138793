import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SetupChecklist } from './setup-checklist';

describe('SetupChecklist: the dashboard of a new workspace (issue 15 item 6)', () => {
  let http: HttpTestingController;
  afterEach(() => http.verify());

  async function render(have: {
    agents: number;
    leads: number;
    configured: boolean;
    members: number;
  }) {
    TestBed.configureTestingModule({
      imports: [SetupChecklist],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const fixture = TestBed.createComponent(SetupChecklist);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    const page = (n: number) => ({
      data: Array.from({ length: n }, (_, i) => ({ id: `${i}` })),
      nextCursor: null,
    });
    http.expectOne((r) => r.url === '/api/v1/agents').flush(page(have.agents));
    http.expectOne((r) => r.url === '/api/v1/leads').flush(page(have.leads));
    http.expectOne('/api/v1/integrations').flush({
      data: [
        { provider: 'vapi', configured: have.configured },
        { provider: 'retell', configured: false },
      ],
    });
    http.expectOne((r) => r.url === '/api/v1/users').flush(page(have.members));
    fixture.detectChanges();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const step = (el: HTMLElement, key: string) =>
    el.querySelector<HTMLElement>(`[data-testid="setup-${key}"]`);

  it('lists the four steps, none done, each with a link to where it is done', async () => {
    const el = await render({ agents: 0, leads: 0, configured: false, members: 1 });
    expect(el.querySelector('[data-testid="setup-checklist"]')?.textContent).toContain(
      '0 of 4 done',
    );
    const links = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/agents/new', '/leads', '/settings', '/team']);
    for (const key of ['agent', 'leads', 'provider', 'teammate']) {
      expect(step(el, key)?.classList.contains('done')).toBe(false);
    }
  });

  it('ticks what the workspace has: an agent, leads, a configured provider, a second member', async () => {
    const el = await render({ agents: 1, leads: 3, configured: true, members: 1 });
    expect(el.textContent).toContain('3 of 4 done');
    expect(step(el, 'agent')?.classList.contains('done')).toBe(true);
    expect(step(el, 'leads')?.classList.contains('done')).toBe(true);
    expect(step(el, 'provider')?.classList.contains('done')).toBe(true);
    expect(step(el, 'teammate')?.classList.contains('done')).toBe(false);
    expect(step(el, 'teammate')?.querySelector('a')?.getAttribute('href')).toBe('/team');
  });

  it('is gone once every step is done', async () => {
    const el = await render({ agents: 2, leads: 1, configured: true, members: 2 });
    expect(el.querySelector('[data-testid="setup-checklist"]')).toBeNull();
  });
});
