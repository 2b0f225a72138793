import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { LoginRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { safeReturnUrl } from '../../core/guards';
import { fieldError, parseInto, zodValidator } from '../../shared/zod-forms';
import { AuthCard } from './auth-card';

@Component({
  selector: 'app-login-page',
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
    <app-auth-card heading="Sign in" subheading="Welcome back. Sign in to your workspace.">
      @if (error()) {
        <p class="notice error" role="alert" data-testid="login-error">{{ error() }}</p>
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
          [disabled]="busy()"
          data-testid="login-submit"
        >
          {{ busy() ? 'Signing in…' : 'Sign in' }}
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
  protected readonly busy = signal(false);
  protected readonly error = signal('');

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
    this.error.set('');
    const parsed = parseInto(LoginRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok || this.busy()) return;
    this.busy.set(true);
    this.api.login(parsed.data).subscribe({
      next: (res) => {
        this.auth.signIn(res);
        void this.router.navigateByUrl(this.returnUrl);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.error.set(
          e instanceof HttpErrorResponse && e.status === 401
            ? 'Incorrect email or password.'
            : apiErrorMessage(e),
        );
      },
    });
  }
}
