import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { AcceptInvitationResponse, Invitation } from '@acc/contracts';
import { InvitationsApi } from '../../core/api/invitations.api';
import { Notifier } from '../../core/notifier';
import { Icon } from '../../shared/icon';
import { invitationSummary } from './invitation-summary';

/**
 * The signed-in user's pending invitations, above every page, each with Accept and Decline.
 * Accepting hands the token for the joined workspace to the shell, which switches to it.
 */
@Component({
  selector: 'app-pending-invitations',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, Icon],
  template: `
    @if (invitations().length) {
      <section class="invitations" aria-label="Pending invitations">
        @for (inv of invitations(); track inv.id) {
          <div
            class="invitation"
            data-testid="pending-invitation"
            [attr.data-tenant-id]="inv.tenant.id"
          >
            <app-icon name="mail" />
            <span class="text">{{ summary(inv) }}</span>
            <button
              mat-button
              type="button"
              (click)="decline(inv)"
              [disabled]="busy() !== null"
              data-testid="invitation-decline"
            >
              Decline
            </button>
            <button
              mat-flat-button
              type="button"
              (click)="accept(inv)"
              [disabled]="busy() !== null"
              data-testid="invitation-accept"
            >
              Accept
            </button>
          </div>
        }
      </section>
    }
  `,
  styles: `
    .invitations {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 12px 24px 0;
    }
    .invitation {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 8px 12px;
      padding: 8px 12px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .text {
      flex: 1 1 240px;
    }
  `,
})
export class PendingInvitations {
  private readonly api = inject(InvitationsApi);
  private readonly notifier = inject(Notifier);

  /** An invitation was accepted: the answer carries a token for that workspace. */
  readonly joined = output<AcceptInvitationResponse>();
  protected readonly invitations = signal<Invitation[]>([]);
  protected readonly busy = signal<string | null>(null);
  protected readonly summary = (inv: Invitation) => invitationSummary(inv);

  constructor() {
    this.load();
  }

  private load(): void {
    this.api.mine().subscribe({
      next: (page) => this.invitations.set(page.data),
      error: () => undefined,
    });
  }

  protected accept(inv: Invitation): void {
    this.busy.set(inv.id);
    this.api.accept(inv.id).subscribe({
      next: (res) => {
        this.busy.set(null);
        this.drop(inv);
        this.joined.emit(res);
      },
      // expired or withdrawn meanwhile: the interceptor said so; show what is left
      error: () => {
        this.busy.set(null);
        this.load();
      },
    });
  }

  protected decline(inv: Invitation): void {
    this.busy.set(inv.id);
    this.api.decline(inv.id).subscribe({
      next: () => {
        this.busy.set(null);
        this.drop(inv);
        this.notifier.success(`You declined the invitation to ${inv.tenant.name}`);
      },
      error: () => {
        this.busy.set(null);
        this.load();
      },
    });
  }

  private drop(inv: Invitation): void {
    this.invitations.update((all) => all.filter((i) => i.id !== inv.id));
  }
}
