import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
} from '@angular/forms';
import { COMMA, ENTER } from '@angular/cdk/keycodes';
import { MatButtonModule } from '@angular/material/button';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  CreateLeadRequest,
  LEAD_STATUSES,
  Lead,
  LeadStatus,
  Tags,
  UpdateLeadRequest,
} from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { LeadsApi } from '../../core/api/leads.api';
import { FormBaseline, guardDialogClose } from '../../core/unsaved-changes';
import { FormErrors } from '../../shared/form-errors';
import { Icon } from '../../shared/icon';
import { HumanizePipe } from '../../shared/pipes';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  nullIfBlank,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';
import { CustomFieldRow, fromRows, toRows } from './custom-fields';

const S = CreateLeadRequest.shape;

/** ISO instant -> value of an <input type="datetime-local"> in the browser's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * On edit, the fields whose value differs from what the form showed when it opened: only those
 * are sent (and checked), so a lead stored with a value today's rules refuse (an old phone
 * number) can still have its status or tags changed.
 */
export function changedFields(
  current: Record<string, unknown>,
  initial: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) {
    if (JSON.stringify(v) !== JSON.stringify(initial[k])) out[k] = v;
  }
  return out;
}

export function splitTags(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

@Component({
  selector: 'app-lead-form-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    FormErrors,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatChipsModule,
    HumanizePipe,
    Icon,
  ],
  styles: `
    .custom-field {
      display: grid;
      grid-template-columns: 1fr 1fr auto;
      gap: 12px;
      align-items: start;
    }
    h3 {
      font: var(--mat-sys-title-small);
      margin: 8px 0;
    }
  `,
  template: `
    <h2 mat-dialog-title>{{ lead ? 'Edit lead' : 'New lead' }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="lead-form">
      <mat-dialog-content>
        <app-form-errors [errors]="formErrors()" />
        <div class="form-grid">
          <mat-form-field>
            <mat-label>First name</mat-label>
            <input matInput formControlName="firstName" data-testid="lead-first-name" />
            <mat-error>{{ err('firstName') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Last name</mat-label>
            <input matInput formControlName="lastName" data-testid="lead-last-name" />
            <mat-error>{{ err('lastName') }}</mat-error>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Phone</mat-label>
            <input matInput formControlName="phone" type="tel" data-testid="lead-phone" />
            <mat-hint>Any format; stored as +15551234567</mat-hint>
            <mat-error data-testid="lead-phone-error">{{ err('phone') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Email</mat-label>
            <input matInput formControlName="email" type="email" data-testid="lead-email" />
            <mat-error>{{ err('email') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Company</mat-label>
            <input matInput formControlName="company" />
            <mat-error>{{ err('company') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Status</mat-label>
            <mat-select formControlName="status" data-testid="lead-status">
              @for (s of statuses; track s) {
                <mat-option [value]="s">{{ s | humanize }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Assigned agent</mat-label>
            <mat-select formControlName="assignedAgentId">
              <mat-option value="">Unassigned</mat-option>
              @for (a of directory.agents(); track a.id) {
                <mat-option [value]="a.id">{{ a.name }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Source</mat-label>
            <input matInput formControlName="source" placeholder="website, referral…" />
            <mat-error>{{ err('source') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>External ID</mat-label>
            <input matInput formControlName="externalId" data-testid="lead-external-id" />
            <mat-hint>The lead's id in your CRM</mat-hint>
            <mat-error>{{ err('externalId') }}</mat-error>
          </mat-form-field>
          <mat-form-field class="full">
            <mat-label>Tags</mat-label>
            <mat-chip-grid #tagGrid formControlName="tags" aria-label="Tags">
              @for (t of form.controls.tags.value; track t) {
                <mat-chip-row (removed)="removeTag(t)" data-testid="lead-tag">
                  {{ t }}
                  <button matChipRemove type="button" [attr.aria-label]="'Remove ' + t">
                    <app-icon name="close" />
                  </button>
                </mat-chip-row>
              }
              <input
                placeholder="Add a tag"
                [matChipInputFor]="tagGrid"
                [matChipInputSeparatorKeyCodes]="tagSeparators"
                [matChipInputAddOnBlur]="true"
                (matChipInputTokenEnd)="addTags($event)"
                data-testid="lead-tags"
              />
            </mat-chip-grid>
            <mat-hint>Enter or comma after each</mat-hint>
            <mat-error>{{ err('tags') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Lead's time zone</mat-label>
            <input matInput formControlName="timezone" placeholder="America/New_York" />
            <mat-error>{{ err('timezone') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Next call at</mat-label>
            <input matInput type="datetime-local" formControlName="nextCallAt" />
            <mat-error>{{ err('nextCallAt') }}</mat-error>
          </mat-form-field>
        </div>
        <h3>Custom fields</h3>
        <div formArrayName="customFields">
          @for (row of customFields.controls; track row; let i = $index) {
            <div class="custom-field" [formGroupName]="i" data-testid="lead-custom-field">
              <mat-form-field>
                <mat-label>Name</mat-label>
                <input matInput formControlName="key" data-testid="lead-field-name" />
              </mat-form-field>
              <mat-form-field>
                <mat-label>Value</mat-label>
                <input matInput formControlName="value" data-testid="lead-field-value" />
              </mat-form-field>
              <button
                mat-icon-button
                type="button"
                (click)="removeField(i)"
                aria-label="Remove field"
              >
                <app-icon name="delete" />
              </button>
            </div>
          }
        </div>
        <button mat-stroked-button type="button" (click)="addField()" data-testid="lead-add-field">
          Add a field
        </button>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="cancel()" data-testid="lead-cancel">
          Cancel
        </button>
        <button mat-flat-button type="submit" [disabled]="saving()" data-testid="lead-save">
          {{ saving() ? 'Saving…' : lead ? 'Save' : 'Create lead' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
})
export class LeadFormDialog {
  protected readonly lead = inject<Lead | null>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<LeadFormDialog, Lead>);
  private readonly api = inject(LeadsApi);
  protected readonly directory = inject(AgentDirectory);
  protected readonly statuses = LEAD_STATUSES;
  protected readonly tagSeparators = [ENTER, COMMA];
  protected readonly saving = signal(false);
  protected readonly formErrors = signal<string[]>([]);

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    firstName: [this.lead?.firstName ?? '', zodValidator(S.firstName)],
    lastName: [this.lead?.lastName ?? '', zodValidator(S.lastName)],
    phone: [this.lead?.phone ?? '', (c: AbstractControl) => this.checkPhone(c)],
    email: [this.lead?.email ?? '', zodValidator(S.email)],
    company: [this.lead?.company ?? '', zodValidator(S.company)],
    status: [(this.lead?.status ?? 'new') as LeadStatus],
    source: [this.lead?.source ?? '', zodValidator(S.source)],
    externalId: [this.lead?.externalId ?? '', zodValidator(S.externalId)],
    assignedAgentId: [this.lead?.assignedAgentId ?? ''],
    tags: [this.lead?.tags ?? []],
    timezone: [this.lead?.timezone ?? '', zodValidator(S.timezone)],
    nextCallAt: [toLocalInput(this.lead?.nextCallAt)],
    customFields: this.fb.array(toRows(this.lead?.customFields).map((r) => this.fieldGroup(r))),
  });
  /** The stored value of each custom-field row, by position (see CustomFieldRow.original). */
  private readonly originals = toRows(this.lead?.customFields).map((r) => r.original);
  /** On edit, the request body as the form opened (see changedFields). */
  private readonly initial: Record<string, unknown> | null = this.lead
    ? { ...this.body(), customFields: this.initialCustomFields() }
    : null;

  private readonly baseline = new FormBaseline(this.form);
  private readonly focusFirstInvalid = firstInvalidFocuser();
  /** Esc, a click outside and Cancel ask before dropping what was typed. */
  protected readonly cancel = guardDialogClose(this.ref, () => this.baseline.changed());

  protected get customFields() {
    return this.form.controls.customFields;
  }

  constructor() {
    this.directory.ensure();
    this.form.controls.tags.addValidators((c) => {
      const r = Tags.safeParse(c.value);
      return r.success ? null : { zod: r.error.issues[0].message };
    });
  }

  /** The phone the lead already has is not re-checked: only a changed one must pass the rule. */
  private checkPhone(c: AbstractControl): ValidationErrors | null {
    const lead = this.lead;
    if (lead && typeof c.value === 'string' && c.value.trim() === lead.phone) return null;
    return zodValidator(S.phone)(c);
  }

  private initialCustomFields(): Record<string, unknown> {
    const r = fromRows(this.customFieldRows());
    return r.ok ? r.fields : (this.lead?.customFields ?? {});
  }

  private fieldGroup(
    r: CustomFieldRow,
  ): FormGroup<{ key: FormControl<string>; value: FormControl<string> }> {
    return this.fb.group({ key: [r.key], value: [r.value] });
  }

  /** A typed or pasted "a, b" becomes one chip per tag; a tag already there is not added twice. */
  protected addTags(e: MatChipInputEvent): void {
    const tags = this.form.controls.tags;
    const added = splitTags(e.value).filter((t) => !tags.value.includes(t));
    if (added.length) {
      tags.setValue([...tags.value, ...added]);
      tags.markAsTouched();
    }
    e.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    this.form.controls.tags.setValue(this.form.controls.tags.value.filter((t) => t !== tag));
  }

  protected addField(): void {
    this.customFields.push(this.fieldGroup({ key: '', value: '' }));
    this.originals.push(undefined);
  }

  protected removeField(i: number): void {
    this.customFields.removeAt(i);
    this.originals.splice(i, 1);
  }

  private customFieldRows(): CustomFieldRow[] {
    return this.customFields.getRawValue().map((r, i) => ({ ...r, original: this.originals[i] }));
  }

  protected err(name: Exclude<keyof typeof this.form.controls, 'customFields'>): string {
    return fieldError(this.form.controls[name]);
  }

  body(): Record<string, unknown> {
    const v = this.form.getRawValue();
    return {
      firstName: nullIfBlank(v.firstName),
      lastName: nullIfBlank(v.lastName),
      phone: v.phone.trim(),
      email: nullIfBlank(v.email),
      company: nullIfBlank(v.company),
      status: v.status,
      source: nullIfBlank(v.source),
      externalId: nullIfBlank(v.externalId),
      assignedAgentId: v.assignedAgentId || null,
      tags: v.tags,
      timezone: nullIfBlank(v.timezone),
      nextCallAt: fromLocalInput(v.nextCallAt),
    };
  }

  save(): void {
    if (this.saving()) return;
    this.formErrors.set([]);
    const custom = fromRows(this.customFieldRows());
    if (!custom.ok) {
      this.formErrors.set([custom.error]);
      return;
    }
    const lead = this.lead;
    const full = { ...this.body(), customFields: custom.fields };
    const body = lead && this.initial ? changedFields(full, this.initial) : full;
    if (lead && !Object.keys(body).length) {
      this.ref.close();
      return;
    }
    const parsed = lead
      ? parseInto(UpdateLeadRequest, body, this.form)
      : parseInto(CreateLeadRequest, body, this.form);
    if (!parsed.ok) {
      this.formErrors.set(parsed.formErrors);
      this.focusFirstInvalid();
      return;
    }
    this.saving.set(true);
    const req = lead
      ? this.api.update(lead.id, parsed.data as UpdateLeadRequest, { inline: true })
      : this.api.create(parsed.data as CreateLeadRequest);
    req.subscribe({
      next: (saved) => this.ref.close(saved),
      // A duplicate phone (409) or any field the API refuses: on that field, in the form's words.
      error: (e: unknown) => {
        this.saving.set(false);
        this.formErrors.set(applyServerErrors(e, this.form));
        this.focusFirstInvalid();
      },
    });
  }
}
