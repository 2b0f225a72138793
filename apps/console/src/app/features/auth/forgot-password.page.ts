import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { ForgotPasswordRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessage } from '../../core/api-error';
import { fieldError, parseInto, zodValidator } from '../../shared/zod-forms';
import { AuthCard } from './auth-card';

@Component({
  selector: 'app-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuthCard,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
  ],
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
        @if (error()) {
          <p class="notice error" role="alert">{{ error() }}</p>
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
            [disabled]="busy()"
            data-testid="forgot-submit"
          >
            {{ busy() ? 'Sending…' : 'Send reset link' }}
          </button>
        </form>
      }
      <div class="links"><a routerLink="/login">Back to sign in</a></div>
    </app-auth-card>
  `,
})
export class ForgotPasswordPage {
  private readonly api = inject(AuthApi);
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  protected readonly sentTo = signal('');
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', zodValidator(ForgotPasswordRequest.shape.email)],
  });

  protected err(): string {
    return fieldError(this.form.controls.email);
  }

  submit(): void {
    this.error.set('');
    const parsed = parseInto(ForgotPasswordRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok || this.busy()) return;
    this.busy.set(true);
    this.api.forgotPassword(parsed.data).subscribe({
      next: () => {
        this.busy.set(false);
        this.sentTo.set(parsed.data.email);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.error.set(apiErrorMessage(e));
      },
    });
  }
}
