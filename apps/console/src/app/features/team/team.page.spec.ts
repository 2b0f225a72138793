import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatMenuTrigger } from '@angular/material/menu';
import { MatSelect } from '@angular/material/select';
import { By } from '@angular/platform-browser';
import type { Member } from '@acc/contracts';
import { of } from 'rxjs';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { TeamPage } from './team.page';
import { signInAs } from '../../testing/session';

const member: Member = {
  id: 'm1',
  email: 'm@x.co',
  fullName: 'Mia',
  role: 'member',
  status: 'active',
  joinedAt: '2025-01-01T00:00:00Z',
  invitationExpiresAt: null,
};

const invitee: Member = {
  id: 'i1',
  email: 'ivy@x.co',
  fullName: 'Ivy',
  role: 'viewer',
  status: 'invited',
  joinedAt: '2025-01-01T00:00:00Z',
  invitationExpiresAt: '2000-01-08T00:00:00Z',
};

async function render(members: Member[] = [member]) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [TeamPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  signInAs('admin');
  const fixture = TestBed.createComponent(TeamPage);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne((r) => r.url === '/api/v1/users').flush({ data: members, nextCursor: null });
  await fixture.whenStable();
  return { fixture, http };
}

describe('TeamPage', () => {
  it('puts the role select back to the stored role when the server refuses the change', async () => {
    const { fixture, http } = await render();
    const select = fixture.debugElement.query(By.directive(MatSelect))
      .componentInstance as MatSelect;
    expect(select.value).toBe('member');
    select.value = 'admin';
    (
      fixture.componentInstance as unknown as {
        changeRole(m: Member, r: string, s: MatSelect): void;
      }
    ).changeRole(member, 'admin', select);
    http
      .expectOne({ url: '/api/v1/users/m1', method: 'PATCH' })
      .flush({ message: 'No' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(select.value).toBe('member');
  });

  it('has the Remove confirmation give focus back to the row menu trigger', async () => {
    const { fixture } = await render();
    const ask = jest.spyOn(TestBed.inject(Confirm), 'ask').mockReturnValue(of(false));
    const trigger = fixture.debugElement.query(By.directive(MatMenuTrigger));
    (trigger.nativeElement as HTMLButtonElement).click();
    await fixture.whenStable();
    (document.querySelector('[data-testid="member-remove"]') as HTMLElement).click();
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Remove Mia?' }),
      trigger.injector.get(MatMenuTrigger),
    );
  });

  it('shows an expired invitation as such, with resend and revoke instead of disable and remove', async () => {
    const { fixture, http } = await render([invitee]);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="invitation-expiry"]')?.textContent?.trim()).toBe(
      'expired',
    );
    (el.querySelector('[data-testid="member-actions"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(document.querySelector('[data-testid="member-toggle"]')).toBeNull();
    expect(document.querySelector('[data-testid="member-remove"]')).toBeNull();
    (document.querySelector('[data-testid="member-resend"]') as HTMLElement).click();
    const renewed = {
      ...invitee,
      invitationExpiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    };
    http.expectOne({ url: '/api/v1/users/i1/invitation/resend', method: 'POST' }).flush(renewed);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="invitation-expiry"]')?.textContent?.trim()).toBe(
      'expires in 7 days',
    );
  });

  it('reloads the team when a revoked invitation had been accepted meanwhile (409)', async () => {
    const { fixture, http } = await render([invitee]);
    jest.spyOn(TestBed.inject(Confirm), 'ask').mockReturnValue(of(true));
    (
      fixture.nativeElement.querySelector('[data-testid="member-actions"]') as HTMLButtonElement
    ).click();
    await fixture.whenStable();
    (document.querySelector('[data-testid="member-revoke"]') as HTMLElement).click();
    http
      .expectOne({ url: '/api/v1/users/i1/invitation', method: 'DELETE' })
      .flush({ message: 'accepted' }, { status: 409, statusText: 'Conflict' });
    const accepted = { ...invitee, status: 'active', invitationExpiresAt: null };
    http.expectOne((r) => r.url === '/api/v1/users').flush({ data: [accepted], nextCursor: null });
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[data-testid="invitation-expiry"]')).toBeNull();
  });

  it('asks before making someone owner, and puts the select back when told no', async () => {
    const { fixture, http } = await render();
    const ask = jest.spyOn(TestBed.inject(Confirm), 'ask').mockReturnValue(of(false));
    const select = fixture.debugElement.query(By.directive(MatSelect))
      .componentInstance as MatSelect;
    const page = fixture.componentInstance as unknown as {
      changeRole(m: Member, r: string, s: MatSelect): void;
    };
    select.value = 'owner';
    page.changeRole(member, 'owner', select);
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Make Mia an owner?', confirmText: 'Make owner' }),
      expect.anything(),
    );
    http.expectNone({ url: '/api/v1/users/m1', method: 'PATCH' });
    expect(select.value).toBe('member');

    ask.mockReturnValue(of(true));
    page.changeRole(member, 'owner', select);
    const req = http.expectOne({ url: '/api/v1/users/m1', method: 'PATCH' });
    expect(req.request.body).toEqual({ role: 'owner' });
    req.flush({ ...member, role: 'owner' });

    // other roles change at once
    ask.mockClear();
    page.changeRole(member, 'viewer', select);
    expect(ask).not.toHaveBeenCalled();
    http
      .expectOne({ url: '/api/v1/users/m1', method: 'PATCH' })
      .flush({ ...member, role: 'viewer' });
  });
});
