import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AbstractControl, NonNullableFormBuilder, ValidationErrors } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import {
  AcceptInviteRequest,
  InvitationTokenRequest,
  LinkedInvitation,
  PASSWORD_MIN,
} from '@acc/contracts';
import { InvitationsApi } from '../../core/api/invitations.api';
import { apiErrorMessages } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { Submission } from '../../shared/submission';
import { fieldError, firstInvalidFocuser, zodValidator } from '../../shared/zod-forms';
import { AUTH_FORM_IMPORTS } from './auth-card';

function sameAsPassword(control: AbstractControl): ValidationErrors | null {
  const password = control.parent?.get('password')?.value;
  return control.value && control.value !== password ? { mismatch: true } : null;
}

const DEAD_LINK =
  'This invitation link is no longer valid: it expired, was already used, or the invitation ' +
  'was withdrawn or sent again. Ask a workspace admin to send you a new one.';

/**
 * The mailed invitation link: says which workspace invites whom, then accepts (a new account
 * chooses its password, an existing one enters its own) and signs in there, or declines.
 */
@Component({
  selector: 'app-accept-invite-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  styleUrl: './auth-form.scss',
  template: `
    <app-auth-card heading="Your invitation">
      @if (declined(); as gone) {
        <p class="notice ok" role="status" data-testid="invite-declined">
          You declined the invitation to {{ gone.tenant.name }}. Nothing was shared with it.
        </p>
        <div class="links"><a routerLink="/login">Sign in</a></div>
      } @else if (invalid()) {
        <p class="notice error" role="alert" data-testid="invite-invalid">{{ invalid() }}</p>
        <div class="links"><a routerLink="/login">Sign in</a></div>
      } @else if (invitation(); as inv) {
        <p class="invite-title" data-testid="invite-workspace">Join {{ inv.tenant.name }}</p>
        <p class="sub" data-testid="invite-details">
          {{ inv.invitedBy ?? 'A workspace admin' }} invited {{ inv.email }} to
          {{ inv.tenant.name }} as {{ inv.role }}.
          {{
            inv.hasAccount
              ? 'Enter the password of your account to accept.'
              : 'Choose a password to create your account and accept.'
          }}
        </p>
        @if (submission.errors().length) {
          <div class="notice error" role="alert" data-testid="invite-error">
            @for (e of submission.errors(); track $index) {
              <div>{{ e }}</div>
            }
          </div>
        }
        <form [formGroup]="form" (ngSubmit)="accept()" novalidate>
          <mat-form-field>
            <mat-label>{{ inv.hasAccount ? 'Your password' : 'Choose a password' }}</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              [attr.autocomplete]="inv.hasAccount ? 'current-password' : 'new-password'"
              data-testid="invite-password"
            />
            @if (!inv.hasAccount) {
              <mat-hint>At least {{ passwordMin }} characters</mat-hint>
            }
            <mat-error>{{ err('password') }}</mat-error>
          </mat-form-field>
          @if (!inv.hasAccount) {
            <mat-form-field>
              <mat-label>Repeat password</mat-label>
              <input
                matInput
                type="password"
                formControlName="confirm"
                autocomplete="new-password"
                data-testid="invite-confirm"
              />
              <mat-error>{{ err('confirm') }}</mat-error>
            </mat-form-field>
          }
          <button
            mat-flat-button
            class="submit"
            type="submit"
            [disabled]="submission.busy()"
            data-testid="invite-accept"
          >
            {{ submission.busy() ? 'Joining…' : 'Accept and join ' + inv.tenant.name }}
          </button>
        </form>
        <div class="links">
          <button
            mat-button
            type="button"
            (click)="decline(inv)"
            [disabled]="submission.busy()"
            data-testid="invite-decline"
          >
            Decline
          </button>
          @if (inv.hasAccount) {
            <a routerLink="/forgot-password">Forgot password?</a>
          }
        </div>
      } @else {
        <p class="sub" role="status">Opening your invitation…</p>
      }
    </app-auth-card>
  `,
  styles: `
    .invite-title {
      margin: 0 0 4px;
      font: var(--mat-sys-title-large);
    }
  `,
})
export class AcceptInvitePage {
  private readonly api = inject(InvitationsApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);

  protected readonly passwordMin = PASSWORD_MIN;
  private readonly token = inject(ActivatedRoute).snapshot.queryParamMap.get('token') ?? '';
  protected readonly invitation = signal<LinkedInvitation | null>(null);
  protected readonly invalid = signal('');
  protected readonly declined = signal<LinkedInvitation | null>(null);
  protected readonly submission = new Submission();
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', zodValidator(AcceptInviteRequest.shape.password)],
    confirm: ['', sameAsPassword],
  });

  constructor() {
    this.form.controls.password.valueChanges.subscribe(() =>
      this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }),
    );
    if (!InvitationTokenRequest.safeParse({ token: this.token }).success) {
      this.invalid.set('This link is incomplete. Open the link from your email again.');
      return;
    }
    this.api.preview(this.token).subscribe({
      next: (inv) => {
        // an existing account types its password once
        if (inv.hasAccount) this.form.controls.confirm.disable();
        this.invitation.set(inv);
      },
      error: (e: unknown) => this.invalid.set(this.describe(e)[0]),
    });
  }

  protected err(name: 'password' | 'confirm'): string {
    return fieldError(this.form.controls[name]);
  }

  accept(): void {
    const inv = this.invitation();
    this.submission.clear();
    this.form.markAllAsTouched();
    if (this.form.invalid) this.focusFirstInvalid();
    if (!inv || this.form.invalid) return;
    const body = { token: this.token, password: this.form.controls.password.value };
    this.submission.send(this.api.acceptLink(body), {
      next: (res) => {
        this.auth.signIn(res);
        this.notifier.success(`Welcome to ${res.tenant.name}`);
        void this.router.navigateByUrl('/dashboard');
      },
      leavesPage: true,
      describe: (e) => this.describe(e, inv),
    });
  }

  decline(inv: LinkedInvitation): void {
    this.submission.clear();
    this.submission.send(this.api.declineLink(this.token), {
      next: () => this.declined.set(inv),
      describe: (e) => this.describe(e, inv),
    });
  }

  /** A refused link or password in plain words; other refusals keep the API's words. */
  private describe(e: unknown, inv?: LinkedInvitation): string[] {
    if (e instanceof HttpErrorResponse && e.status === 401 && inv) {
      return [`That is not the password of ${inv.email}. Try again, or reset it.`];
    }
    if (e instanceof HttpErrorResponse && e.status === 400 && !Array.isArray(e.error?.message)) {
      return [DEAD_LINK];
    }
    return apiErrorMessages(e);
  }
}
