import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder } from '@angular/forms';
import { ForgotPasswordRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessage } from '../../core/api-error';
import { Submission } from '../../shared/submission';
import { fieldError, firstInvalidFocuser, parseInto, zodValidator } from '../../shared/zod-forms';
import { AUTH_FORM_IMPORTS } from './auth-card';

@Component({
  selector: 'app-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  styleUrl: './auth-form.scss',
  template: `
    <app-auth-card
      heading="Forgot your password?"
      subheading="Enter your email and we will send you a link to choose a new one."
    >
      @if (sentTo()) {
        <p class="notice ok" role="status" data-testid="forgot-done">
          If an account exists for {{ sentTo() }}, a reset link is on its way. It works once and
          expires in one hour.
        </p>
      } @else {
        @if (submission.error()) {
          <p class="notice error" role="alert">{{ submission.error() }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field>
            <mat-label>Email</mat-label>
            <input
              matInput
              type="email"
              formControlName="email"
              autocomplete="email"
              data-testid="forgot-email"
            />
            <mat-error>{{ err() }}</mat-error>
          </mat-form-field>
          <button
            mat-flat-button
            class="submit"
            type="submit"
            [disabled]="submission.busy()"
            data-testid="forgot-submit"
          >
            {{ submission.busy() ? 'Sending…' : 'Send reset link' }}
          </button>
        </form>
      }
      <div class="links"><a routerLink="/login">Back to sign in</a></div>
    </app-auth-card>
  `,
})
export class ForgotPasswordPage {
  private readonly api = inject(AuthApi);
  protected readonly submission = new Submission();
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly sentTo = signal('');
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', zodValidator(ForgotPasswordRequest.shape.email)],
  });

  protected err(): string {
    return fieldError(this.form.controls.email);
  }

  submit(): void {
    this.submission.clear();
    const parsed = parseInto(ForgotPasswordRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok) {
      this.focusFirstInvalid();
      return;
    }
    this.submission.send(this.api.forgotPassword(parsed.data), {
      next: () => this.sentTo.set(parsed.data.email),
      describe: (e) => [apiErrorMessage(e)],
    });
  }
}
