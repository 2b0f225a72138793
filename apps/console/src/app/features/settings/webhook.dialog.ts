import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WEBHOOK_EVENT_TYPES,
  Webhook,
  WebhookEventType,
  WebhookUrl,
  WebhookWithSecret,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { WebhooksApi } from '../../core/api/webhooks.api';
import { fieldError, parseInto, zodValidator } from '../../shared/zod-forms';
import { WebhookSecret } from './webhook-secret';

export const EVENT_HELP: Record<WebhookEventType, string> = {
  'call.created': 'A call is recorded',
  'call.updated': 'A call changes',
  'call.ended': 'A call reaches its final status',
  'lead.created': 'A lead is added',
  'lead.updated': 'A lead changes',
  'lead.deleted': 'A lead is deleted',
  'leads.imported': 'A CSV import finishes (one event per import)',
  'campaign.started': 'A campaign starts or resumes',
  'campaign.paused': 'A campaign is paused',
  'campaign.completed': 'A campaign has called all its leads',
};

/** Edit: the endpoint; create: nothing. */
export type WebhookDialogData = Webhook | null;

/**
 * Adds an endpoint (then shows its signing secret once) or changes one. Closes with the
 * endpoint as listed (never its secret), or nothing when cancelled.
 */
@Component({
  selector: 'app-webhook-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    WebhookSecret,
  ],
  template: `
    @if (created(); as w) {
      <h2 mat-dialog-title>Copy the signing secret</h2>
      <mat-dialog-content>
        <app-webhook-secret [secret]="w.secret" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" (click)="done(w)" data-testid="webhook-done">
          Done
        </button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>{{ editing ? 'Edit endpoint' : 'Add an endpoint' }}</h2>
      <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="webhook-form">
        <mat-dialog-content>
          <mat-form-field class="wide">
            <mat-label>URL</mat-label>
            <input
              matInput
              formControlName="url"
              placeholder="https://crm.example.com/hooks/acc"
              data-testid="webhook-url"
            />
            <mat-hint>Receives a signed POST for each event below</mat-hint>
            <mat-error>{{ err('url') }}</mat-error>
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Description</mat-label>
            <input matInput formControlName="description" data-testid="webhook-description" />
            <mat-error>{{ err('description') }}</mat-error>
          </mat-form-field>
          <fieldset class="events" data-testid="webhook-events">
            <legend>Events</legend>
            @for (t of types; track t) {
              <mat-checkbox
                [checked]="chosen().has(t)"
                (change)="toggle(t, $event.checked)"
                [attr.data-testid]="'webhook-event-' + t"
                ><span class="mono">{{ t }}</span>
                <span class="muted">{{ help[t] }}</span></mat-checkbox
              >
            }
            @if (eventsError()) {
              <div class="error" role="alert">{{ eventsError() }}</div>
            }
          </fieldset>
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="saving()" data-testid="webhook-save">
            {{ saving() ? 'Saving…' : editing ? 'Save' : 'Add endpoint' }}
          </button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .events {
      border: none;
      margin: 8px 0 0;
      padding: 0;
      display: flex;
      flex-direction: column;
    }
    legend {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    .error {
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class WebhookDialog {
  private readonly api = inject(WebhooksApi);
  private readonly ref = inject(MatDialogRef<WebhookDialog, Webhook>);
  protected readonly endpoint = inject<WebhookDialogData>(MAT_DIALOG_DATA);
  protected readonly editing = this.endpoint !== null;
  protected readonly types = WEBHOOK_EVENT_TYPES;
  protected readonly help = EVENT_HELP;
  protected readonly saving = signal(false);
  protected readonly created = signal<WebhookWithSecret | null>(null);
  protected readonly chosen = signal(new Set<WebhookEventType>(this.endpoint?.events ?? []));
  protected readonly eventsError = signal('');
  protected readonly form = inject(NonNullableFormBuilder).group({
    url: [this.endpoint?.url ?? '', zodValidator(WebhookUrl)],
    description: [this.endpoint?.description ?? ''],
  });

  protected err(control: 'url' | 'description'): string {
    return fieldError(this.form.controls[control]);
  }

  protected toggle(t: WebhookEventType, on: boolean): void {
    const next = new Set(this.chosen());
    if (on) next.add(t);
    else next.delete(t);
    this.chosen.set(next);
    this.eventsError.set('');
  }

  save(): void {
    const { url, description } = this.form.getRawValue();
    // in the order offered, whatever the order clicked
    const events = this.types.filter((t) => this.chosen().has(t));
    const body = { url: url.trim(), description: description.trim() || null, events };
    if (events.length === 0) this.eventsError.set('Choose at least one event');
    const schema = this.editing ? UpdateWebhookRequest : CreateWebhookRequest;
    const parsed = parseInto(schema, body, this.form);
    if (!parsed.ok || events.length === 0 || this.saving()) return;
    this.saving.set(true);
    const done = (w: Webhook) => this.ref.close(w);
    const request: Observable<Webhook | WebhookWithSecret> = this.endpoint
      ? this.api.update(this.endpoint.id, parsed.data as UpdateWebhookRequest)
      : this.api.create(parsed.data as CreateWebhookRequest);
    request.subscribe({
      next: (w) => {
        this.saving.set(false);
        if ('secret' in w) this.created.set(w);
        else done(w);
      },
      error: () => this.saving.set(false),
    });
  }

  protected done(created: WebhookWithSecret): void {
    const { secret: _secret, ...listed } = created;
    this.created.set(null);
    this.ref.close(listed);
  }
}
