import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { Phone, optionalText, type DncEntry } from '@acc/contracts';
import { CampaignsApi } from '../../core/api/campaigns.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { PhonePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { fieldError, zodValidator } from '../../shared/zod-forms';

/** Settings, Do not call: numbers no campaign and no "Call now" ever dials. */
@Component({
  selector: 'app-dnc-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PhonePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    Icon,
    Loading,
    Empty,
    ErrorState,
    WhenPipe,
  ],
  templateUrl: './dnc.section.html',
  styleUrl: './api-keys.section.scss',
})
export class DncSection {
  private readonly api = inject(CampaignsApi);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  protected readonly auth = inject(AuthStore);
  protected readonly adding = signal(false);
  protected readonly addError = signal('');
  protected readonly columns = ['phone', 'reason', 'by', 'added', 'actions'];
  protected readonly form = this.fb.group({
    phone: ['', zodValidator(Phone, 'Enter a phone number such as +1 415 555 0100')],
    reason: ['', zodValidator(optionalText(500))],
  });
  protected readonly list = new KeysetList<DncEntry>((cursor) => this.api.dnc({ cursor }));

  constructor() {
    this.list.reload();
  }

  protected err(name: 'phone' | 'reason'): string {
    return fieldError(this.form.controls[name]);
  }

  protected by(e: DncEntry): string {
    if (!e.createdBy) return '—';
    if (e.createdBy.type === 'call') return 'a call (asked not to be called)';
    return e.createdBy.name ?? '—';
  }

  protected add(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { phone, reason } = this.form.getRawValue();
    this.adding.set(true);
    this.addError.set('');
    this.api.addDnc({ phone, reason: reason.trim() || null }).subscribe({
      next: (entry) => {
        this.adding.set(false);
        this.form.reset();
        this.list.remove((x) => x.id === entry.id);
        this.list.prepend(entry);
        this.notifier.success(`${entry.phone} will not be called`);
      },
      error: (e: unknown) => {
        this.adding.set(false);
        this.addError.set(apiErrorMessage(e));
      },
    });
  }

  protected remove(e: DncEntry): void {
    this.confirm
      .ask({
        title: `Call ${e.phone} again?`,
        message: 'Taking it off the list lets campaigns and "Call now" dial it again.',
        confirmText: 'Remove from the list',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.api.removeDnc(e.id).subscribe(() => {
          this.list.remove((x) => x.id === e.id);
          this.notifier.success(`${e.phone} removed from the do-not-call list`);
        });
      });
  }
}
