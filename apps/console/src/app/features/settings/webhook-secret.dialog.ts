import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { WebhookSecret } from './webhook-secret';

/** A rotated secret, shown once; closes only through Done. */
@Component({
  selector: 'app-webhook-secret-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, WebhookSecret],
  template: `
    <h2 mat-dialog-title>The new signing secret</h2>
    <mat-dialog-content><app-webhook-secret [secret]="secret" /></mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="webhook-done">
        Done
      </button>
    </mat-dialog-actions>
  `,
})
export class WebhookSecretDialog {
  protected readonly secret = inject<string>(MAT_DIALOG_DATA);
}
