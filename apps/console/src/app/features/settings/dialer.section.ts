import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { DIALERS, DialerSettings, DialerType, UpdateDialerRequest } from '@acc/contracts';
import { CampaignsApi } from '../../core/api/campaigns.api';
import { apiErrorMessage, apiErrorMessages } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { FormErrors } from '../../shared/form-errors';
import { ErrorState, Loading } from '../../shared/states';
import { WebhookSecret } from './webhook-secret';

/** Settings, Dialer: the simulator, or the workspace's telephony bridge (a signed call.dispatch). */
@Component({
  selector: 'app-dialer-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    FormErrors,
    Loading,
    ErrorState,
    WebhookSecret,
  ],
  templateUrl: './dialer.section.html',
  styleUrl: './api-keys.section.scss',
})
export class DialerSection {
  private readonly api = inject(CampaignsApi);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly notifier = inject(Notifier);
  protected readonly dialers = DIALERS;
  protected readonly current = signal<DialerSettings | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly saving = signal(false);
  protected readonly errors = signal<string[]>([]);
  /** shown once, right after it was made */
  protected readonly secret = signal('');
  protected readonly form = this.fb.group({
    type: this.fb.control<DialerType>('simulator'),
    url: [''],
    callerId: [''],
    apiKey: [''],
    phoneNumberId: [''],
  });
  protected readonly labels: Record<DialerType, string> = {
    simulator: 'Simulator',
    webhook: 'Your bridge (webhook)',
    vapi: 'Vapi',
    retell: 'Retell',
  };

  constructor() {
    this.load();
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.api.dialer().subscribe({
      next: (d) => {
        this.fill(d);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  private fill(d: DialerSettings): void {
    this.current.set(d);
    this.form.reset({
      type: d.type,
      url: d.url ?? '',
      callerId: d.callerId ?? '',
      apiKey: '',
      phoneNumberId: d.phoneNumberId ?? '',
    });
  }

  protected save(rotateSecret = false): void {
    const v = this.form.getRawValue();
    const parsed = UpdateDialerRequest.safeParse({
      type: v.type,
      url: v.type === 'webhook' ? v.url.trim() || null : null,
      callerId: v.callerId.trim() || null,
      ...(rotateSecret && { rotateSecret: true }),
      ...(v.apiKey.trim() && { apiKey: v.apiKey.trim() }),
      ...(v.type === 'vapi' && { phoneNumberId: v.phoneNumberId.trim() || null }),
    });
    if (!parsed.success) {
      this.errors.set(parsed.error.issues.map((i) => i.message));
      return;
    }
    this.errors.set([]);
    this.saving.set(true);
    this.api.putDialer(parsed.data).subscribe({
      next: (d) => {
        this.saving.set(false);
        this.fill(d);
        this.secret.set(d.signingSecret ?? '');
        this.notifier.success(
          d.type === 'simulator' ? 'Calls go to the simulator' : 'Calls go to your bridge',
        );
      },
      error: (e: unknown) => {
        this.saving.set(false);
        this.errors.set(apiErrorMessages(e));
      },
    });
  }
}
