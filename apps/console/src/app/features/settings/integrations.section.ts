import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  type Integration,
  type IntegrationProvider,
  SetRetellApiKeyRequest,
  SetVapiSecretRequest,
} from '@acc/contracts';
import { IntegrationsApi } from '../../core/api/integrations.api';
import { apiErrorMessage } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { Icon } from '../../shared/icon';
import { WhenPipe } from '../../shared/pipes';
import { ErrorState, Loading } from '../../shared/states';
import { fieldError, zodValidator } from '../../shared/zod-forms';

interface ProviderText {
  name: string;
  secretLabel: string;
  /** Which secret, under the field: a label that long is cut on a phone. */
  secretHint?: string;
  where: string;
}

const TEXT: Record<IntegrationProvider, ProviderText> = {
  vapi: {
    name: 'Vapi',
    secretLabel: 'Server URL secret',
    where:
      'Paste the URL as the server URL (Integrations > Server Configuration, or the assistant) with a custom credential: a Bearer token, an HMAC (SHA256, header x-vapi-signature) or the older secret, using the secret you enter here.',
  },
  retell: {
    name: 'Retell',
    secretLabel: 'Retell API key',
    secretHint: 'The key with the webhook badge',
    where:
      'Paste the URL as the webhook URL of your agents or account. Retell signs each webhook with the API key that has the webhook badge: enter that key here.',
  },
};

/**
 * Settings, Integrations: the events URL of each voice provider to paste
 * there, whether its secret is set (never shown: it is write-only), and
 * when the provider last reached the URL with it.
 */
@Component({
  selector: 'app-integrations-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    Icon,
    Loading,
    ErrorState,
    WhenPipe,
  ],
  templateUrl: './integrations.section.html',
  styleUrl: './integrations.section.scss',
})
export class IntegrationsSection {
  private readonly api = inject(IntegrationsApi);
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);

  protected readonly text = TEXT;
  protected readonly integrations = signal<Integration[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly saving = signal<IntegrationProvider | null>(null);
  protected readonly secrets: Record<IntegrationProvider, FormControl<string>> = {
    vapi: new FormControl('', {
      nonNullable: true,
      validators: zodValidator(SetVapiSecretRequest.shape.secret),
    }),
    retell: new FormControl('', {
      nonNullable: true,
      validators: zodValidator(SetRetellApiKeyRequest.shape.apiKey),
    }),
  };

  constructor() {
    this.load();
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.api.list().subscribe({
      next: (l) => {
        this.integrations.set(l.data);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  protected err(provider: IntegrationProvider): string {
    return fieldError(this.secrets[provider]);
  }

  protected copy(url: string): void {
    if (this.clipboard.copy(url)) void this.notifier.success('URL copied');
    else void this.notifier.error('Could not copy: select the URL and copy it');
  }

  protected save(provider: IntegrationProvider): void {
    const control = this.secrets[provider];
    control.markAsTouched();
    if (control.invalid || !control.value || this.saving()) return;
    this.saving.set(provider);
    this.api.setSecret(provider, control.value.trim()).subscribe({
      next: (saved) => {
        this.saving.set(null);
        this.integrations.update((all) => all.map((i) => (i.provider === provider ? saved : i)));
        // the secret leaves the page: it is never shown again
        control.reset('');
        void this.notifier.success(`${TEXT[provider].name} secret saved`);
      },
      error: () => this.saving.set(null),
    });
  }
}
