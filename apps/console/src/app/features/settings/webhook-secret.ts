import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Notifier } from '../../core/notifier';
import { Icon } from '../../shared/icon';

/** A signing secret shown the one time the API answers it, with a copy button. */
@Component({
  selector: 'app-webhook-secret',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, Icon],
  template: `
    <p class="warn" data-testid="webhook-secret-once">
      This is the only time the secret is shown. Your receiver verifies each request's
      <span class="mono">webhook-signature</span> with it; if it is lost, rotate it.
    </p>
    <mat-form-field class="wide">
      <mat-label>Signing secret</mat-label>
      <input
        matInput
        readonly
        class="mono"
        [value]="secret()"
        (focus)="$any($event.target).select()"
        data-testid="webhook-secret"
      />
      <button
        mat-icon-button
        matSuffix
        type="button"
        (click)="copy()"
        aria-label="Copy the secret"
        data-testid="webhook-secret-copy"
      >
        <app-icon name="copy" />
      </button>
    </mat-form-field>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .warn {
      margin-top: 0;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
})
export class WebhookSecret {
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);
  readonly secret = input.required<string>();

  protected copy(): void {
    if (this.clipboard.copy(this.secret())) void this.notifier.success('Secret copied');
    else void this.notifier.error('Could not copy: select the secret and copy it');
  }
}
