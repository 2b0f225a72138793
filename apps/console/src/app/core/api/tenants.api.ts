import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateTenantRequest,
  SwitchTenantResponse,
  Tenant,
  TenantConfig,
  TenantList,
  TenantMembership,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from '@acc/contracts';
import { EMPTY, Observable, expand, map, reduce } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

@Injectable({ providedIn: 'root' })
export class TenantsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  /**
   * Every tenant of the caller (a user belongs to few), following the cursor to
   * the end; by name, as GET /auth/me lists them, so the switcher keeps its order
   * whichever of the two answers last.
   */
  list(): Observable<TenantList> {
    const page = (cursor?: string | null) =>
      this.http.get<TenantList>(this.config.url('/api/v1/tenants'), {
        params: toParams({ limit: 200, cursor }),
      });
    return page().pipe(
      expand((p) => (p.nextCursor ? page(p.nextCursor) : EMPTY)),
      reduce((acc, p) => acc.concat(p.data), [] as TenantMembership[]),
      map((all) => ({
        data: all.sort((a, b) => a.tenant.name.localeCompare(b.tenant.name)),
        nextCursor: null,
      })),
    );
  }

  current(): Observable<Tenant> {
    return this.http.get<Tenant>(this.config.url('/api/v1/tenant'));
  }

  /** Errors are the caller's to show: the settings form puts them on its fields. */
  update(body: UpdateTenantRequest): Observable<Tenant> {
    return this.http.patch<Tenant>(this.config.url('/api/v1/tenant'), body, shownInline());
  }

  /** A new workspace owned by the caller; errors are the dialog's to show on its field. */
  create(body: CreateTenantRequest): Observable<SwitchTenantResponse> {
    return this.http.post<SwitchTenantResponse>(
      this.config.url('/api/v1/tenants'),
      body,
      shownInline(),
    );
  }

  switch(tenantId: string): Observable<SwitchTenantResponse> {
    return this.http.post<SwitchTenantResponse>(this.config.url('/api/v1/tenant/switch'), {
      tenantId,
    });
  }

  getConfig(): Observable<TenantConfig> {
    return this.http.get<TenantConfig>(this.config.url('/api/v1/tenant/config'));
  }

  /** Errors are the caller's to show: the settings form puts them on its fields. */
  putConfig(body: UpdateTenantConfigRequest): Observable<TenantConfig> {
    return this.http.put<TenantConfig>(
      this.config.url('/api/v1/tenant/config'),
      body,
      shownInline(),
    );
  }
}
