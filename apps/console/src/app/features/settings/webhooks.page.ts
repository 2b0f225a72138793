import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import type { Webhook } from '@acc/contracts';
import { EMPTY, expand, reduce } from 'rxjs';
import { WebhooksApi } from '../../core/api/webhooks.api';
import { apiErrorMessage } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { Icon } from '../../shared/icon';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDialog, type WebhookDialogData } from './webhook.dialog';
import { WebhookSecretDialog } from './webhook-secret.dialog';

/**
 * Settings, Webhooks: the workspace's endpoints (URL, events, on/off), add (the secret shown
 * once), edit, send a test, rotate the secret, delete; and the selected endpoint's delivery log.
 */
@Component({
  selector: 'app-webhooks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    RouterLink,
    Icon,
    Loading,
    Empty,
    ErrorState,
    WebhookDeliveries,
  ],
  templateUrl: './webhooks.page.html',
  styleUrl: './webhooks.page.scss',
})
export class WebhooksPage {
  private readonly api = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);

  protected readonly endpoints = signal<Webhook[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly busyId = signal<string | null>(null);
  protected readonly selectedId = signal<string | null>(null);
  protected readonly selected = computed(
    () => this.endpoints().find((w) => w.id === this.selectedId()) ?? null,
  );

  constructor() {
    this.load();
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.api
      .list()
      .pipe(
        expand((p) => (p.nextCursor ? this.api.list(p.nextCursor) : EMPTY)),
        reduce((acc, p) => acc.concat(p.data), [] as Webhook[]),
      )
      .subscribe({
        next: (all) => {
          this.endpoints.set(all);
          this.loading.set(false);
          if (!all.some((w) => w.id === this.selectedId())) this.selectedId.set(all[0]?.id ?? null);
        },
        error: (e: unknown) => {
          this.error.set(apiErrorMessage(e));
          this.loading.set(false);
        },
      });
  }

  private replace(w: Webhook): void {
    this.endpoints.update((all) => all.map((x) => (x.id === w.id ? w : x)));
  }

  protected open(endpoint: WebhookDialogData): void {
    this.dialog
      .open<WebhookDialog, WebhookDialogData, Webhook>(WebhookDialog, {
        data: endpoint,
        width: '560px',
        maxWidth: '95vw',
        disableClose: true,
      })
      .afterClosed()
      .subscribe((w) => {
        if (!w) return;
        if (endpoint) this.replace(w);
        else {
          this.endpoints.update((all) => [w, ...all]);
          this.selectedId.set(w.id);
        }
      });
  }

  protected setEnabled(w: Webhook, enabled: boolean): void {
    this.busyId.set(w.id);
    this.api.update(w.id, { enabled }).subscribe({
      next: (updated) => {
        this.busyId.set(null);
        this.replace(updated);
      },
      error: () => {
        this.busyId.set(null);
        this.load();
      },
    });
  }

  protected test(w: Webhook): void {
    this.busyId.set(w.id);
    this.api.test(w.id).subscribe({
      next: () => {
        this.busyId.set(null);
        void this.notifier.success('Test event sent; its delivery is in the log');
        this.selectedId.set(null);
        this.selectedId.set(w.id); // the log reloads with the new delivery
      },
      error: () => this.busyId.set(null),
    });
  }

  protected rotate(w: Webhook): void {
    this.confirm
      .ask({
        title: 'Rotate the signing secret?',
        message: `Requests to ${w.url} are signed with a new secret from now on, retries included; the receiver must use it at once.`,
        confirmText: 'Rotate',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.busyId.set(w.id);
        this.api.rotateSecret(w.id).subscribe({
          next: (rotated) => {
            this.busyId.set(null);
            this.dialog.open(WebhookSecretDialog, {
              data: rotated.secret,
              width: '560px',
              maxWidth: '95vw',
              disableClose: true,
            });
          },
          error: () => this.busyId.set(null),
        });
      });
  }

  protected remove(w: Webhook): void {
    this.confirm
      .ask({
        title: 'Delete this endpoint?',
        message: `${w.url} gets no more events, and its delivery log is deleted.`,
        confirmText: 'Delete',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.busyId.set(w.id);
        this.api.remove(w.id).subscribe({
          next: () => {
            this.busyId.set(null);
            this.endpoints.update((all) => all.filter((x) => x.id !== w.id));
            if (this.selectedId() === w.id) this.selectedId.set(this.endpoints()[0]?.id ?? null);
            void this.notifier.success('Endpoint deleted');
          },
          error: () => {
            this.busyId.set(null);
            this.load();
          },
        });
      });
  }
}
