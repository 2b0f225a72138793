import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatMenuModule, MatMenuTrigger } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelect, MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { InvitationLink, Member, Role } from '@acc/contracts';
import { EMPTY, expand, reduce } from 'rxjs';
import { UsersApi } from '../../core/api/users.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { FORM_DIALOG } from '../../core/unsaved-changes';
import { Confirm } from '../../shared/confirm-dialog';
import { formatExpiry } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { InvitationLinkDialog } from './invitation-link.dialog';
import { InviteDialog } from './invite.dialog';
import { assignableRoles, memberRights } from './team-rules';

@Component({
  selector: 'app-team-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    Icon,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    HumanizePipe,
    WhenPipe,
  ],
  templateUrl: './team.page.html',
  styleUrl: './team.page.scss',
})
export class TeamPage {
  private readonly api = inject(UsersApi);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  protected readonly auth = inject(AuthStore);

  protected readonly members = signal<Member[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly busyId = signal<string | null>(null);
  protected readonly columns = ['member', 'role', 'status', 'joined', 'actions'];
  /** A changed member keeps its row (and the focus in it): rows are the members' ids. */
  protected readonly byId = (_: number, m: Member) => m.id;
  protected readonly roles = computed(() => assignableRoles(this.auth.role()));
  protected readonly rights = computed(() => {
    const me = { id: this.auth.user()?.id ?? null, role: this.auth.role() };
    const all = this.members();
    return new Map(all.map((m) => [m.id, memberRights(m, me, all)]));
  });

  constructor() {
    this.load();
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.api
      .list()
      .pipe(
        expand((p) => (p.nextCursor ? this.api.list(p.nextCursor) : EMPTY)),
        reduce((acc, p) => acc.concat(p.data), [] as Member[]),
      )
      .subscribe({
        next: (all) => {
          this.members.set(all);
          this.loading.set(false);
        },
        error: (e: unknown) => {
          this.error.set(apiErrorMessage(e));
          this.loading.set(false);
        },
      });
  }

  protected invite(): void {
    this.dialog
      .open(InviteDialog, { ...FORM_DIALOG, width: '480px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((m?: Member) => {
        if (!m) return;
        this.members.update((all) => [m, ...all.filter((x) => x.id !== m.id)]);
        this.notifier.success(`Invitation sent to ${m.email}`);
      });
  }

  protected expiry(m: Member): string {
    return m.invitationExpiresAt ? formatExpiry(m.invitationExpiresAt) : '';
  }

  protected resend(m: Member): void {
    this.busyId.set(m.id);
    this.api.resendInvitation(m.id).subscribe({
      next: (updated) => {
        this.busyId.set(null);
        this.replace(updated);
        this.notifier.success(`Invitation sent again to ${m.email}`);
      },
      error: () => this.busyId.set(null),
    });
  }

  /** A link to pass on instead of the mail; the row shows the new expiry after. */
  protected copyLink(m: Member, trigger?: MatMenuTrigger): void {
    this.dialog
      .open<InvitationLinkDialog, Member, InvitationLink>(InvitationLinkDialog, {
        data: m,
        width: '520px',
        maxWidth: '95vw',
        restoreFocus: !trigger,
      })
      .afterClosed()
      .subscribe((l) => {
        trigger?.focus();
        if (l) this.replace({ ...m, invitationExpiresAt: l.expiresAt });
      });
  }

  /** `trigger`: the row's menu trigger, which gets focus back after the confirmation. */
  protected revoke(m: Member, trigger?: MatMenuTrigger): void {
    this.confirm
      .ask(
        {
          title: `Revoke the invitation of ${m.fullName}?`,
          message: `The link mailed to ${m.email} stops working. You can invite them again later.`,
          confirmText: 'Revoke',
          danger: true,
        },
        trigger,
      )
      .subscribe((ok) => {
        if (!ok) return;
        this.busyId.set(m.id);
        this.api.revokeInvitation(m.id).subscribe({
          next: () => {
            this.busyId.set(null);
            this.members.update((all) => all.filter((x) => x.id !== m.id));
            this.notifier.success(`Invitation of ${m.email} revoked`);
          },
          // accepted meanwhile (409): the list shows them as they are now
          error: () => {
            this.busyId.set(null);
            this.load();
          },
        });
      });
  }

  private replace(m: Member): void {
    this.members.update((all) => all.map((x) => (x.id === m.id ? m : x)));
  }

  protected changeRole(m: Member, role: Role, select: MatSelect): void {
    if (role === m.role) return;
    if (role !== 'owner') return this.setRole(m, role, select);
    // An owner controls the workspace itself and only another owner can demote them: asked first.
    this.confirm
      .ask(
        {
          title: `Make ${m.fullName} an owner?`,
          message:
            'Owners have full control, including the workspace itself, and only another owner ' +
            'can change their role.',
          confirmText: 'Make owner',
        },
        { focus: () => select.focus() },
      )
      .subscribe((ok) => {
        if (ok) this.setRole(m, role, select);
        else select.value = m.role;
      });
  }

  private setRole(m: Member, role: Role, select: MatSelect): void {
    this.busyId.set(m.id);
    this.api.update(m.id, { role }).subscribe({
      next: (updated) => {
        this.busyId.set(null);
        this.replace(updated);
        this.notifier.success(`${m.fullName} is now ${role}`);
      },
      error: () => {
        this.busyId.set(null);
        // Its [value] binding has not changed, so nothing else would put the stored role back.
        select.value = m.role;
      },
    });
  }

  protected toggle(m: Member): void {
    const status = m.status === 'disabled' ? 'active' : 'disabled';
    this.busyId.set(m.id);
    this.api.update(m.id, { status }).subscribe({
      next: (updated) => {
        this.busyId.set(null);
        this.replace(updated);
        this.notifier.success(
          status === 'disabled' ? `${m.fullName} disabled` : `${m.fullName} enabled`,
        );
      },
      error: () => this.busyId.set(null),
    });
  }

  /** `trigger`: the row's menu trigger, which gets focus back after the confirmation. */
  protected remove(m: Member, trigger?: MatMenuTrigger): void {
    this.confirm
      .ask(
        {
          title: `Remove ${m.fullName}?`,
          message: `${m.email} loses access to ${this.auth.tenant()?.name}. Their account stays for other workspaces.`,
          confirmText: 'Remove',
          danger: true,
        },
        trigger,
      )
      .subscribe((ok) => {
        if (!ok) return;
        this.busyId.set(m.id);
        this.api.remove(m.id).subscribe({
          next: () => {
            this.busyId.set(null);
            this.members.update((all) => all.filter((x) => x.id !== m.id));
            this.notifier.success(`${m.fullName} removed`);
          },
          error: () => this.busyId.set(null),
        });
      });
  }
}
