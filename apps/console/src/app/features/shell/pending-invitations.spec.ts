import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AcceptInvitationResponse, Invitation } from '@acc/contracts';
import { Notifier } from '../../core/notifier';
import { PendingInvitations } from './pending-invitations';

const invitation = (id: string, name: string): Invitation => ({
  id,
  tenant: { id: `t-${id}`, name },
  role: 'member',
  invitedBy: 'Ada Admin',
  expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
});

async function render(list: Invitation[]) {
  const notifier = { error: jest.fn(), success: jest.fn() };
  TestBed.configureTestingModule({
    imports: [PendingInvitations],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: Notifier, useValue: notifier },
    ],
  });
  const fixture = TestBed.createComponent(PendingInvitations);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne((r) => r.url === '/api/v1/invitations').flush({ data: list, nextCursor: null });
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const rows = () => [...el.querySelectorAll('[data-testid="pending-invitation"]')];
  const click = async (row: Element, testId: string) => {
    (row.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement).click();
    await fixture.whenStable();
  };
  return { fixture, http, rows, click, notifier };
}

describe('PendingInvitations', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows nothing without invitations', async () => {
    const { rows, fixture } = await render([]);
    expect(rows()).toHaveLength(0);
    expect((fixture.nativeElement as HTMLElement).querySelector('section')).toBeNull();
  });

  it('accepts one: hands the token for that workspace over and drops it from the list', async () => {
    const { fixture, http, rows, click } = await render([
      invitation('a', 'Acme Calls'),
      invitation('b', 'Beta Calls'),
    ]);
    expect(rows()[0].textContent).toContain('Ada Admin invited you to Acme Calls as member');
    const joined: AcceptInvitationResponse[] = [];
    fixture.componentInstance.joined.subscribe((r) => joined.push(r));
    await click(rows()[0], 'invitation-accept');
    const answer = {
      token: 'tok',
      expiresAt: 'x',
      tenant: { id: 't-a', name: 'Acme Calls' },
      role: 'member',
    };
    http.expectOne({ url: '/api/v1/invitations/a/accept', method: 'POST' }).flush(answer);
    await fixture.whenStable();
    expect(joined).toEqual([answer]);
    expect(rows().map((r) => r.getAttribute('data-tenant-id'))).toEqual(['t-b']);
  });

  it('declines one and says so', async () => {
    const { fixture, http, rows, click, notifier } = await render([invitation('a', 'Acme Calls')]);
    await click(rows()[0], 'invitation-decline');
    http.expectOne({ url: '/api/v1/invitations/a/decline', method: 'POST' }).flush(null);
    await fixture.whenStable();
    expect(rows()).toHaveLength(0);
    expect(notifier.success).toHaveBeenCalledWith('You declined the invitation to Acme Calls');
  });

  it('reloads the list when an invitation is gone meanwhile (404)', async () => {
    const { fixture, http, rows, click } = await render([invitation('a', 'Acme Calls')]);
    await click(rows()[0], 'invitation-accept');
    http
      .expectOne('/api/v1/invitations/a/accept')
      .flush({ message: 'invitation not found' }, { status: 404, statusText: 'Not Found' });
    http.expectOne((r) => r.url === '/api/v1/invitations').flush({ data: [], nextCursor: null });
    await fixture.whenStable();
    expect(rows()).toHaveLength(0);
  });
});
