import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import type { ApiKey } from '@acc/contracts';
import { EMPTY, expand, reduce } from 'rxjs';
import { ApiKeysApi } from '../../core/api/api-keys.api';
import { apiErrorMessage } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { formatExpiry } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { CreateApiKeyDialog } from './create-api-key.dialog';

/** Settings, API keys: the workspace's keys (never their secrets), create, revoke. */
@Component({
  selector: 'app-api-keys-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatProgressBarModule,
    MatTableModule,
    Icon,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    WhenPipe,
  ],
  templateUrl: './api-keys.section.html',
  styleUrl: './api-keys.section.scss',
})
export class ApiKeysSection {
  private readonly api = inject(ApiKeysApi);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);

  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly busyId = signal<string | null>(null);
  protected readonly columns = ['name', 'key', 'role', 'created', 'lastUsed', 'expires', 'actions'];

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
        reduce((acc, p) => acc.concat(p.data), [] as ApiKey[]),
      )
      .subscribe({
        next: (all) => {
          this.keys.set(all);
          this.loading.set(false);
        },
        error: (e: unknown) => {
          this.error.set(apiErrorMessage(e));
          this.loading.set(false);
        },
      });
  }

  protected expiry(k: ApiKey): string {
    return k.expiresAt ? formatExpiry(k.expiresAt) : 'never';
  }

  protected create(): void {
    this.dialog
      .open(CreateApiKeyDialog, { width: '520px', maxWidth: '95vw', disableClose: true })
      .afterClosed()
      .subscribe((k?: ApiKey) => {
        if (k) this.keys.update((all) => [k, ...all]);
      });
  }

  protected revoke(k: ApiKey): void {
    this.confirm
      .ask({
        title: `Revoke the key ${k.name}?`,
        message: `Programs using ${k.prefix}… get 401 from their next request. This cannot be undone.`,
        confirmText: 'Revoke',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.busyId.set(k.id);
        this.api.revoke(k.id).subscribe({
          next: () => {
            this.busyId.set(null);
            this.keys.update((all) => all.filter((x) => x.id !== k.id));
            void this.notifier.success(`Key ${k.name} revoked`);
          },
          // already revoked elsewhere (404): the list shows what is left
          error: () => {
            this.busyId.set(null);
            this.load();
          },
        });
      });
  }
}
