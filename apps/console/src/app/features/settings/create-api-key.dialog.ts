import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  API_KEY_ROLES,
  ApiKey,
  ApiKeyRole,
  CreateApiKeyRequest,
  CreatedApiKey,
} from '@acc/contracts';
import { ApiKeysApi } from '../../core/api/api-keys.api';
import { Notifier } from '../../core/notifier';
import { Icon } from '../../shared/icon';
import { HumanizePipe } from '../../shared/pipes';
import { fieldError, parseInto, zodValidator } from '../../shared/zod-forms';

const ROLE_HELP: Record<ApiKeyRole, string> = {
  viewer: 'Reads agents, leads and calls',
  member: 'Also creates and changes agents, leads and calls',
  admin: 'Also reads admin figures such as usage',
};

/** Lifetimes offered, in days; 0: until revoked. */
export const EXPIRY_CHOICES = [
  { days: 0, label: 'Never' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
];

/** The request for a lifetime chosen in the form, `now` given for tests. */
export function expiryFor(days: number, now = Date.now()): string | null {
  return days > 0 ? new Date(now + days * 86_400_000).toISOString() : null;
}

/**
 * Creates a key, then shows it once: the API never answers it again. The dialog only closes
 * through Cancel or Done (no backdrop click), so the key is not lost by a stray click.
 * Closes with the new key's listing (never the secret), or nothing when cancelled.
 */
@Component({
  selector: 'app-create-api-key-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    HumanizePipe,
    Icon,
  ],
  template: `
    @if (created(); as k) {
      <h2 mat-dialog-title>Copy your new API key</h2>
      <mat-dialog-content>
        <p class="warn" data-testid="api-key-once">
          This is the only time the key is shown. Store it in your secret manager now; if it is
          lost, revoke it and create another.
        </p>
        <mat-form-field class="wide">
          <mat-label>{{ k.name }} ({{ k.role | humanize }})</mat-label>
          <input
            matInput
            readonly
            class="mono"
            [value]="k.key"
            (focus)="$any($event.target).select()"
            data-testid="api-key-secret"
          />
          <button
            mat-icon-button
            matSuffix
            type="button"
            (click)="copy(k.key)"
            aria-label="Copy the key"
            data-testid="api-key-copy"
          >
            <app-icon name="copy" />
          </button>
        </mat-form-field>
        <p class="muted">
          Send it as <span class="mono">Authorization: Bearer {{ k.prefix }}…</span>
        </p>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" (click)="done(k)" data-testid="api-key-done">
          Done
        </button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>Create an API key</h2>
      <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="api-key-form">
        <mat-dialog-content>
          <p class="muted intro">
            A key lets a program use this workspace's API at the role you choose. It can never
            manage keys, members or the workspace itself.
          </p>
          <mat-form-field class="wide">
            <mat-label>Name</mat-label>
            <input
              matInput
              formControlName="name"
              placeholder="CRM sync"
              data-testid="api-key-name"
            />
            <mat-error>{{ err() }}</mat-error>
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Role</mat-label>
            <mat-select formControlName="role" data-testid="api-key-role">
              @for (r of roles; track r) {
                <mat-option [value]="r" [attr.data-testid]="'api-key-role-' + r">{{
                  r | humanize
                }}</mat-option>
              }
            </mat-select>
            <mat-hint>{{ help[form.controls.role.value] }}</mat-hint>
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Expires</mat-label>
            <mat-select formControlName="expiresInDays" data-testid="api-key-expiry">
              @for (c of expiries; track c.days) {
                <mat-option [value]="c.days" [attr.data-testid]="'api-key-expiry-' + c.days">{{
                  c.label
                }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="saving()" data-testid="api-key-create">
            {{ saving() ? 'Creating…' : 'Create key' }}
          </button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .intro {
      margin-top: 0;
    }
    .warn {
      margin-top: 0;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
})
export class CreateApiKeyDialog {
  private readonly api = inject(ApiKeysApi);
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);
  private readonly ref = inject(MatDialogRef<CreateApiKeyDialog, ApiKey>);
  protected readonly roles = API_KEY_ROLES;
  protected readonly help = ROLE_HELP;
  protected readonly expiries = EXPIRY_CHOICES;
  protected readonly saving = signal(false);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', zodValidator(CreateApiKeyRequest.shape.name)],
    role: ['member' as ApiKeyRole],
    expiresInDays: [0],
  });

  protected err(): string {
    return fieldError(this.form.controls.name);
  }

  save(): void {
    const { name, role, expiresInDays } = this.form.getRawValue();
    const request = { name, role, expiresAt: expiryFor(expiresInDays) };
    const parsed = parseInto(CreateApiKeyRequest, request, this.form);
    if (!parsed.ok || this.saving()) return;
    this.saving.set(true);
    this.api.create(parsed.data).subscribe({
      next: (k) => {
        this.saving.set(false);
        this.created.set(k);
      },
      error: () => this.saving.set(false),
    });
  }

  protected copy(key: string): void {
    if (this.clipboard.copy(key)) void this.notifier.success('Key copied');
    else void this.notifier.error('Could not copy: select the key and copy it');
  }

  protected done(created: CreatedApiKey): void {
    const { key: _secret, ...listed } = created;
    this.created.set(null);
    this.ref.close(listed);
  }
}
