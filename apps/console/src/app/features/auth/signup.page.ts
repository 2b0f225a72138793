import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { PASSWORD_MIN, SignupRequest } from '@acc/contracts';
import { AuthApi } from '../../core/api/auth.api';
import { apiErrorMessages } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { fieldError, parseInto, zodValidator } from '../../shared/zod-forms';
import { AuthCard } from './auth-card';

type Field = 'tenantName' | 'fullName' | 'email' | 'password';

@Component({
  selector: 'app-signup-page',
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
      heading="Create your workspace"
      subheading="A new workspace for your company, with you as its owner."
    >
      @if (errors().length) {
        <div class="notice error" role="alert" data-testid="signup-error">
          @for (e of errors(); track $index) {
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
          [disabled]="busy()"
          data-testid="signup-submit"
        >
          {{ busy() ? 'Creating…' : 'Create workspace' }}
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
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[]>([]);
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
    this.errors.set([]);
    const parsed = parseInto(SignupRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok || this.busy()) return;
    this.busy.set(true);
    this.api.signup(parsed.data).subscribe({
      next: (res) => {
        this.auth.signIn({ ...res, role: res.role ?? 'owner' });
        void this.router.navigateByUrl('/dashboard');
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.errors.set(apiErrorMessages(e));
      },
    });
  }
}
