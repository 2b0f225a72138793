import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ValidationErrors } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import { HttpErrorResponse } from '@angular/common/http';
import { PASSWORD_MIN, ResetLink, ResetLinkRequest, ResetPasswordRequest } from '@acc/contracts';
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
const DEAD_LINK =
  'This link has expired or was already used. If you already changed your password, ' +
  'sign in; otherwise request a new link.';

function describeRefusal(e: unknown): string[] {
  if (!apiErrorMessage(e).toLowerCase().includes('link')) return apiErrorMessages(e);
  return [DEAD_LINK];
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
        <a
          mat-flat-button
          class="submit"
          routerLink="/login"
          [queryParams]="{ email: link()?.email }"
          data-testid="reset-signin"
        >
          Sign in
        </a>
      } @else if (!token()) {
        <p class="notice error" role="alert" data-testid="reset-no-token">
          This link is incomplete. Open the link from your email again, or request a new one.
        </p>
        <div class="links"><a routerLink="/forgot-password">Request a new link</a></div>
      } @else if (linkError()) {
        <!-- said as the page opens, before anyone types a password -->
        <div class="notice error" role="alert" data-testid="reset-link-dead">
          {{ linkError() }}
        </div>
        @if (linkDead()) {
          <a mat-flat-button class="submit" routerLink="/forgot-password">Request a new link</a>
          <div class="links"><a routerLink="/login">Sign in</a></div>
        } @else {
          <button mat-flat-button class="submit" type="button" (click)="checkLink()">
            Try again
          </button>
        }
      } @else if (!link()) {
        <p class="sub" role="status" data-testid="reset-checking">Checking your link…</p>
      } @else {
        <p class="for" data-testid="reset-for">
          For <b>{{ link()?.email }}</b>
        </p>
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
  /** The link as the API checked it when the page opened: whose password it sets. */
  protected readonly link = signal<ResetLink | null>(null);
  protected readonly linkError = signal('');
  /** Refused for good (expired, used, altered), not a failed check to try again. */
  protected readonly linkDead = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', zodValidator(ResetPasswordRequest.shape.password)],
    confirm: ['', sameAsPassword],
  });

  constructor() {
    this.form.controls.password.valueChanges.subscribe(() =>
      this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }),
    );
    this.checkLink();
  }

  /** Asks the API whether the link still works, so a dead one is said at once. */
  protected checkLink(): void {
    const token = this.token();
    if (!token) return;
    this.linkError.set('');
    if (!ResetLinkRequest.safeParse({ token }).success) {
      this.linkDead.set(true);
      this.linkError.set(DEAD_LINK);
      return;
    }
    this.api.checkResetLink(token).subscribe({
      next: (link) => this.link.set(link),
      error: (e: unknown) => {
        const dead = e instanceof HttpErrorResponse && e.status === 400;
        this.linkDead.set(dead);
        this.linkError.set(dead ? DEAD_LINK : apiErrorMessage(e));
      },
    });
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
