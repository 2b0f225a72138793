import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { InviteMemberRequest, Member, Role } from '@acc/contracts';
import { UsersApi } from '../../core/api/users.api';
import { AuthStore } from '../../core/auth.store';
import { FormBaseline, guardDialogClose } from '../../core/unsaved-changes';
import { HumanizePipe } from '../../shared/pipes';
import { FormErrors } from '../../shared/form-errors';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';
import { assignableRoles } from './team-rules';

const ROLE_HELP: Record<Role, string> = {
  viewer: 'Can see everything, change nothing',
  member: 'Manages agents, leads and calls',
  admin: 'Also manages the team and settings',
  owner: 'Full control, including the workspace itself',
};

@Component({
  selector: 'app-invite-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    HumanizePipe,
    FormErrors,
  ],
  template: `
    <h2 mat-dialog-title>Invite a member</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="invite-form">
      <mat-dialog-content>
        <app-form-errors [errors]="formErrors()" />
        <p class="muted intro">
          They get an email with a link to accept or decline. Nobody joins until they accept: new
          people choose a password, someone with an account accepts with it.
        </p>
        <mat-form-field class="wide">
          <mat-label>Email</mat-label>
          <input matInput type="email" formControlName="email" data-testid="invite-email" />
          <mat-error>{{ err('email') }}</mat-error>
        </mat-form-field>
        <mat-form-field class="wide">
          <mat-label>Full name</mat-label>
          <input matInput formControlName="fullName" data-testid="invite-name" />
          <mat-error>{{ err('fullName') }}</mat-error>
        </mat-form-field>
        <mat-form-field class="wide">
          <mat-label>Role</mat-label>
          <mat-select formControlName="role" data-testid="invite-role">
            @for (r of roles; track r) {
              <mat-option [value]="r" [attr.data-testid]="'role-option-' + r">{{
                r | humanize
              }}</mat-option>
            }
          </mat-select>
          <mat-hint>{{ help[form.controls.role.value] }}</mat-hint>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="cancel()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()" data-testid="invite-submit">
          {{ saving() ? 'Sending…' : 'Send invitation' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .intro {
      margin-top: 0;
    }
  `,
})
export class InviteDialog {
  private readonly api = inject(UsersApi);
  private readonly ref = inject(MatDialogRef<InviteDialog, Member>);
  protected readonly roles = assignableRoles(inject(AuthStore).role());
  protected readonly help = ROLE_HELP;
  protected readonly saving = signal(false);
  protected readonly formErrors = signal<string[]>([]);
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', zodValidator(InviteMemberRequest.shape.email)],
    fullName: ['', zodValidator(InviteMemberRequest.shape.fullName)],
    role: ['member' as Role],
  });

  private readonly baseline = new FormBaseline(this.form);
  protected readonly cancel = guardDialogClose(this.ref, () => this.baseline.changed());

  protected err(name: 'email' | 'fullName'): string {
    return fieldError(this.form.controls[name]);
  }

  save(): void {
    this.formErrors.set([]);
    const parsed = parseInto(InviteMemberRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok) this.focusFirstInvalid();
    if (!parsed.ok || this.saving()) return;
    this.saving.set(true);
    this.api.invite(parsed.data).subscribe({
      next: (m) => this.ref.close(m),
      error: (e: unknown) => {
        this.saving.set(false);
        this.formErrors.set(
          applyServerErrors(e, this.form, { 'already a member or invited': 'email' }),
        );
        this.focusFirstInvalid();
      },
    });
  }
}
