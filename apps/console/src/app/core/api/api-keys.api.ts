import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApiKeyList, CreateApiKeyRequest, CreatedApiKey } from '@acc/contracts';
import { Observable } from 'rxjs';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

/** The workspace's API keys (admin, signed in: keys cannot manage keys). */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(cursor?: string | null): Observable<ApiKeyList> {
    return this.http.get<ApiKeyList>(this.config.url('/api/v1/api-keys'), {
      params: toParams({ limit: 200, cursor }),
    });
  }

  /** The answer carries the key itself, this once. */
  create(body: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>(this.config.url('/api/v1/api-keys'), body);
  }

  /** Revokes: the key's next request is refused. */
  revoke(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/api-keys/${id}`));
  }
}
