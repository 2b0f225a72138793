import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ValidationErrors } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import { PASSWORD_MIN, ResetPasswordRequest } from '@acc/contracts';
import { map } from 'rxjs';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessage, apiErrorMessages } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Submission } from '../../shared/submission';
import { fieldError, firstInvalidFocuser, zodValidator } from '../../shared/zod-forms';
import { AUTH_FORM_IMPORTS } from './auth-card';

function sameAsPassword(control: AbstractControl): ValidationErrors | null {
  const password = control.parent?.get('password')?.value;
  return control.value && control.value !== password ? { mismatch: true } : null;
}

/**
 * The API words a refused token for developers ("this link is invalid, expired or already used");
 * users get what happened and what to do next. Other refusals keep the API's words.
 */
function describeRefusal(e: unknown): string[] {
  if (!apiErrorMessage(e).toLowerCase().includes('link')) return apiErrorMessages(e);
  return [
    'This link has expired or was already used. If you already changed your password, ' +
      'sign in; otherwise request a new link.',
  ];
}

/** Reset password from the mailed link: the single-use token from the URL sets a new password. */
@Component({
  selector: 'app-set-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  styleUrl: './auth-form.scss',
  template: `
    <app-auth-card
      heading="Choose a new password"
      subheading="Your new password replaces the old one everywhere."
    >
      @if (done()) {
        <p class="notice ok" role="status" data-testid="reset-done">
          Your password has been changed. Sign in with your new password.
        </p>
        <a mat-flat-button class="submit" routerLink="/login" data-testid="reset-signin">
          Sign in
        </a>
      } @else if (!token()) {
        <p class="notice error" role="alert" data-testid="reset-no-token">
          This link is incomplete. Open the link from your email again, or request a new one.
        </p>
        <div class="links"><a routerLink="/forgot-password">Request a new link</a></div>
      } @else {
        @if (submission.errors().length) {
          <div class="notice error" role="alert" data-testid="reset-error">
            @for (e of submission.errors(); track $index) {
              <div>{{ e }}</div>
            }
            <div class="links">
              <a routerLink="/login" data-testid="reset-error-signin">Sign in</a>
              <a routerLink="/forgot-password">Request a new link</a>
            </div>
          </div>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field>
            <mat-label>New password</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              autocomplete="new-password"
              data-testid="reset-password"
            />
            <mat-hint>At least {{ passwordMin }} characters</mat-hint>
            <mat-error>{{ err('password') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Repeat password</mat-label>
            <input
              matInput
              type="password"
              formControlName="confirm"
              autocomplete="new-password"
              data-testid="reset-confirm"
            />
            <mat-error>{{ err('confirm') }}</mat-error>
          </mat-form-field>
          <button
            mat-flat-button
            class="submit"
            type="submit"
            [disabled]="submission.busy()"
            data-testid="reset-submit"
          >
            {{ submission.busy() ? 'Saving…' : 'Save new password' }}
          </button>
        </form>
        <div class="links"><a routerLink="/login">Back to sign in</a></div>
      }
    </app-auth-card>
  `,
})
export class SetPasswordPage {
  private readonly api = inject(AuthApi);
  private readonly auth = inject(AuthStore);
  private readonly route = inject(ActivatedRoute);

  protected readonly passwordMin = PASSWORD_MIN;
  protected readonly token = toSignal(
    this.route.queryParamMap.pipe(map((q) => q.get('token') ?? '')),
    { initialValue: this.route.snapshot.queryParamMap.get('token') ?? '' },
  );
  protected readonly submission = new Submission();
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly done = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', zodValidator(ResetPasswordRequest.shape.password)],
    confirm: ['', sameAsPassword],
  });

  constructor() {
    this.form.controls.password.valueChanges.subscribe(() =>
      this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }),
    );
  }

  protected err(name: 'password' | 'confirm'): string {
    return fieldError(this.form.controls[name]);
  }

  submit(): void {
    this.submission.clear();
    this.form.markAllAsTouched();
    if (this.form.invalid) this.focusFirstInvalid();
    if (this.form.invalid || this.submission.busy()) return;
    const body = { token: this.token(), password: this.form.controls.password.value };
    const parsed = ResetPasswordRequest.safeParse(body);
    if (!parsed.success) {
      this.submission.errors.set(['This link is not valid. Request a new one.']);
      return;
    }
    this.submission.send(this.api.resetPassword(parsed.data), {
      describe: describeRefusal,
      next: () => {
        // Tokens issued before the change stop working; forget ours.
        this.auth.clear();
        this.done.set(true);
      },
    });
  }
}
