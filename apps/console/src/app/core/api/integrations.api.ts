import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Integration, IntegrationList, IntegrationProvider } from '@acc/contracts';
import { Observable } from 'rxjs';
import { RuntimeConfig } from '../runtime-config';

/** The voice providers' webhooks into this workspace (admin, signed in). */
@Injectable({ providedIn: 'root' })
export class IntegrationsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(): Observable<IntegrationList> {
    return this.http.get<IntegrationList>(this.config.url('/api/v1/integrations'));
  }

  /** Sets (replaces) the provider's secret: Vapi's server-URL secret, Retell's API key. Never read back. */
  setSecret(provider: IntegrationProvider, secret: string): Observable<Integration> {
    const body = provider === 'vapi' ? { secret } : { apiKey: secret };
    return this.http.put<Integration>(this.config.url(`/api/v1/integrations/${provider}`), body);
  }
}
