import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { InvitationLink, Member } from '@acc/contracts';
import { UsersApi } from '../../core/api/users.api';
import { Notifier } from '../../core/notifier';
import { formatExpiry } from '../../shared/format';
import { Icon } from '../../shared/icon';

/**
 * A pending invitation's link, for the admin to pass on themselves (chat, a call). The API keeps
 * only a hash of a link, so this makes a new one, which ends the mailed one: the dialog says so
 * before. Closes with the new expiry, or nothing when no link was made.
 */
@Component({
  selector: 'app-invitation-link-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, Icon],
  template: `
    <h2 mat-dialog-title>Invitation link for {{ member.fullName }}</h2>
    <mat-dialog-content>
      @if (link(); as l) {
        <p class="intro">
          Anyone with this link can join as {{ member.email }} ({{ expiry(l.expiresAt) }}): send it
          to them only.
        </p>
        <mat-form-field class="wide" subscriptSizing="dynamic">
          <mat-label>Invitation link</mat-label>
          <input
            matInput
            readonly
            class="mono"
            [value]="l.url"
            (focus)="$any($event.target).select()"
            data-testid="invitation-link"
          />
          <button
            mat-icon-button
            matSuffix
            type="button"
            (click)="copy(l.url)"
            aria-label="Copy the link"
            data-testid="invitation-link-copy"
          >
            <app-icon name="copy" />
          </button>
        </mat-form-field>
      } @else {
        <p class="intro" data-testid="invitation-link-intro">
          A new link to send {{ member.email }} yourself. The link mailed before stops working.
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (link(); as l) {
        <button
          mat-flat-button
          type="button"
          (click)="ref.close(l)"
          data-testid="invitation-link-done"
        >
          Done
        </button>
      } @else {
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button
          mat-flat-button
          type="button"
          (click)="create()"
          [disabled]="busy()"
          data-testid="invitation-link-create"
        >
          {{ busy() ? 'Creating…' : 'Create link' }}
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .intro {
      margin-top: 0;
    }
  `,
})
export class InvitationLinkDialog {
  private readonly api = inject(UsersApi);
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);
  protected readonly ref = inject(MatDialogRef<InvitationLinkDialog, InvitationLink>);
  protected readonly member = inject<Member>(MAT_DIALOG_DATA);
  protected readonly busy = signal(false);
  protected readonly link = signal<InvitationLink | null>(null);

  protected expiry(at: string): string {
    return formatExpiry(at);
  }

  protected create(): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.api.invitationLink(this.member.id).subscribe({
      next: (l) => {
        this.busy.set(false);
        this.link.set(l);
        // a link made is a link to keep: no closing by a stray click from here on
        this.ref.disableClose = true;
      },
      error: () => this.busy.set(false),
    });
  }

  protected copy(url: string): void {
    if (this.clipboard.copy(url)) void this.notifier.success('Invitation link copied');
    else void this.notifier.error('Could not copy: select the link and copy it');
  }
}
