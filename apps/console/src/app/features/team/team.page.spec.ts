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
};

async function render() {
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
  http.expectOne((r) => r.url === '/api/v1/users').flush({ data: [member], nextCursor: null });
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
});
