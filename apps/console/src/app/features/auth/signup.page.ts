import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder } from '@angular/forms';
import { Router } from '@angular/router';
import { PASSWORD_MIN, SignupRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { AuthStore } from '../../core/auth.store';
import { Submission } from '../../shared/submission';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';
import { AUTH_FORM_IMPORTS } from './auth-card';

type Field = 'tenantName' | 'fullName' | 'email' | 'password';

@Component({
  selector: 'app-signup-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  styleUrl: './auth-form.scss',
  template: `
    <app-auth-card
      heading="Create your workspace"
      subheading="A new workspace for your company, with you as its owner."
    >
      @if (submission.errors().length) {
        <div class="notice error" role="alert" data-testid="signup-error">
          @for (e of submission.errors(); track $index) {
            <div>{{ e }}</div>
          }
        </div>
      }
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-form-field>
          <mat-label>Company name</mat-label>
          <input
            matInput
            formControlName="tenantName"
            autocomplete="organization"
            data-testid="signup-tenant"
          />
          <mat-error>{{ err('tenantName') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Your full name</mat-label>
          <input
            matInput
            formControlName="fullName"
            autocomplete="name"
            data-testid="signup-name"
          />
          <mat-error>{{ err('fullName') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Work email</mat-label>
          <input
            matInput
            type="email"
            formControlName="email"
            autocomplete="email"
            data-testid="signup-email"
          />
          <mat-error>{{ err('email') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="new-password"
            data-testid="signup-password"
          />
          <mat-hint>At least {{ passwordMin }} characters</mat-hint>
          <mat-error>{{ err('password') }}</mat-error>
        </mat-form-field>
        <button
          mat-flat-button
          class="submit"
          type="submit"
          [disabled]="submission.busy()"
          data-testid="signup-submit"
        >
          {{ submission.busy() ? 'Creating…' : 'Create workspace' }}
        </button>
      </form>
      <div class="links">
        <span>Already have an account? <a routerLink="/login">Sign in</a></span>
      </div>
    </app-auth-card>
  `,
})
export class SignupPage {
  private readonly api = inject(AuthApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  protected readonly passwordMin = PASSWORD_MIN;
  protected readonly submission = new Submission();
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly form = inject(NonNullableFormBuilder).group({
    tenantName: ['', zodValidator(SignupRequest.shape.tenantName)],
    fullName: ['', zodValidator(SignupRequest.shape.fullName)],
    email: ['', zodValidator(SignupRequest.shape.email)],
    password: ['', zodValidator(SignupRequest.shape.password)],
  });

  protected err(name: Field): string {
    return fieldError(this.form.controls[name]);
  }

  submit(): void {
    this.submission.clear();
    const parsed = parseInto(SignupRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok) {
      this.focusFirstInvalid();
      return;
    }
    this.submission.send(this.api.signup(parsed.data), {
      // "an account with this email already exists" goes on the email field
      describe: (e) => {
        const rest = applyServerErrors(e, this.form, { 'with this email': 'email' });
        this.focusFirstInvalid();
        return rest;
      },
      next: (res) => {
        this.auth.signIn({ ...res, role: res.role ?? 'owner' });
        void this.router.navigateByUrl('/dashboard');
      },
      leavesPage: true,
    });
  }
}
