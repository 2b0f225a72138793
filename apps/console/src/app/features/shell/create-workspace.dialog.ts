import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { CreateTenantRequest, SwitchTenantResponse } from '@acc/contracts';
import { TenantsApi } from '../../core/api/tenants.api';
import { FormBaseline, guardDialogClose } from '../../core/unsaved-changes';
import { FormErrors } from '../../shared/form-errors';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';

/** A new workspace owned by the signed-in user; closes with a token for it. */
@Component({
  selector: 'app-create-workspace-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    FormErrors,
  ],
  template: `
    <h2 mat-dialog-title>Create a workspace</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="create-workspace-form">
      <mat-dialog-content>
        <app-form-errors [errors]="formErrors()" />
        <p class="muted intro">
          A workspace of its own, with its agents, leads, calls and team; you are its owner. Your
          other workspaces stay as they are, a click away in this menu.
        </p>
        <mat-form-field class="wide">
          <mat-label>Workspace name</mat-label>
          <input matInput formControlName="name" data-testid="create-workspace-name" />
          <mat-error>{{ err() }}</mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="cancel()">Cancel</button>
        <button
          mat-flat-button
          type="submit"
          [disabled]="saving()"
          data-testid="create-workspace-submit"
        >
          {{ saving() ? 'Creating…' : 'Create workspace' }}
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
export class CreateWorkspaceDialog {
  private readonly api = inject(TenantsApi);
  private readonly ref = inject(MatDialogRef<CreateWorkspaceDialog, SwitchTenantResponse>);
  protected readonly saving = signal(false);
  protected readonly formErrors = signal<string[]>([]);
  private readonly focusFirstInvalid = firstInvalidFocuser();
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', zodValidator(CreateTenantRequest.shape.name)],
  });

  private readonly baseline = new FormBaseline(this.form);
  protected readonly cancel = guardDialogClose(this.ref, () => this.baseline.changed());

  protected err(): string {
    return fieldError(this.form.controls.name);
  }

  save(): void {
    this.formErrors.set([]);
    const parsed = parseInto(CreateTenantRequest, this.form.getRawValue(), this.form);
    if (!parsed.ok) this.focusFirstInvalid();
    if (!parsed.ok || this.saving()) return;
    this.saving.set(true);
    this.api.create(parsed.data).subscribe({
      next: (res) => this.ref.close(res),
      error: (e: unknown) => {
        this.saving.set(false);
        this.formErrors.set(applyServerErrors(e, this.form));
        this.focusFirstInvalid();
      },
    });
  }
}
