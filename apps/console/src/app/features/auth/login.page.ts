import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { LoginRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { safeReturnUrl } from '../../core/guards';
import { Submission } from '../../shared/submission';
import { fieldError, firstInvalidFocuser, parseInto, zodValidator } from '../../shared/zod-forms';
import { AUTH_FORM_IMPORTS } from './auth-card';

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  styleUrl: './auth-form.scss',
  template: `
    <app-auth-card heading="Sign in" subheading="Welcome back. Sign in to your workspace.">
      @if (submission.error()) {
        <p class="notice error" role="alert" data-testid="login-error">{{ submission.error() }}</p>
      }
      @if (returnUrl !== '/dashboard') {
        <p class="notice ok">Sign in to continue where you left off.</p>
      }
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-form-field>
          <mat-label>Email</mat-label>
          <input
            matInput
            type="email"
            formControlName="email"
            autocomplete="username"
            data-testid="login-email"
          />
          <mat-error>{{ err('email') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="current-password"
            data-testid="login-password"
          />
          <mat-error>{{ err('password') }}</mat-error>
        </mat-form-field>
        <button
          mat-flat-button
          class="submit"
          type="submit"
          [disabled]="submission.busy()"
          data-testid="login-submit"
        >
          {{ submission.busy() ? 'Signing in…' : 'Sign in' }}
        </button>
      </form>
      <div class="links">
        <a routerLink="/forgot-password" data-testid="forgot-link">Forgot password?</a>
        <a routerLink="/signup" data-testid="signup-link">Create a workspace</a>
      </div>
    </app-auth-card>
  `,
})
export class LoginPage {
  private readonly api = inject(AuthApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly returnUrl = safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl'));
  protected readonly submission = new Submission();
  private readonly focusFirstInvalid = firstInvalidFocuser();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: [
      this.route.snapshot.queryParamMap.get('email') ?? '',
      zodValidator(LoginRequest.shape.email),
    ],
    password: ['', zodValidator(LoginRequest.shape.password)],
  });

  protected err(name: 'email' | 'password'): string {
    return fieldError(this.form.controls[name]);
  }

  submit(): void {
    this.submission.clear();
    const parsed = parseInto(LoginRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok) {
      this.focusFirstInvalid();
      return;
    }
    this.submission.send(this.api.login(parsed.data), {
      next: (res) => {
        this.auth.signIn(res);
        void this.router.navigateByUrl(this.returnUrl);
      },
      leavesPage: true,
      describe: (e) => [
        e instanceof HttpErrorResponse && e.status === 401
          ? 'Incorrect email or password.'
          : apiErrorMessage(e),
      ],
    });
  }
}
