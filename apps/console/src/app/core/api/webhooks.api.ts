import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateWebhookRequest,
  Page,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookWithSecret,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

/** The workspace's webhook endpoints and their delivery logs (admin, signed in). */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  private url(path = ''): string {
    return this.config.url(`/api/v1/webhooks${path}`);
  }

  list(cursor?: string | null): Observable<Page<Webhook>> {
    return this.http.get<Page<Webhook>>(this.url(), { params: toParams({ limit: 200, cursor }) });
  }

  /** The answer carries the signing secret, this once. */
  create(body: CreateWebhookRequest): Observable<WebhookWithSecret> {
    return this.http.post<WebhookWithSecret>(this.url(), body);
  }

  update(id: string, body: UpdateWebhookRequest): Observable<Webhook> {
    return this.http.patch<Webhook>(this.url(`/${id}`), body);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(this.url(`/${id}`));
  }

  /** A new secret, shown this once; the old one stops signing at once. */
  rotateSecret(id: string): Observable<WebhookWithSecret> {
    return this.http.post<WebhookWithSecret>(this.url(`/${id}/rotate-secret`), {});
  }

  /** Sends `ping`; answers its delivery (pending). */
  test(id: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(this.url(`/${id}/test`), {});
  }

  deliveries(
    id: string,
    q: { status?: string; cursor?: string | null },
  ): Observable<Page<WebhookDelivery>> {
    return this.http.get<Page<WebhookDelivery>>(this.url(`/${id}/deliveries`), {
      params: toParams({ limit: 50, ...q }),
    });
  }

  retry(id: string, deliveryId: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(this.url(`/${id}/deliveries/${deliveryId}/retry`), {});
  }
}
