import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  SwitchTenantResponse,
  Tenant,
  TenantConfig,
  TenantList,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { RuntimeConfig } from '../runtime-config';

@Injectable({ providedIn: 'root' })
export class TenantsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(): Observable<TenantList> {
    return this.http.get<TenantList>(this.config.url('/api/v1/tenants'));
  }

  current(): Observable<Tenant> {
    return this.http.get<Tenant>(this.config.url('/api/v1/tenant'));
  }

  update(body: UpdateTenantRequest): Observable<Tenant> {
    return this.http.patch<Tenant>(this.config.url('/api/v1/tenant'), body);
  }

  switch(tenantId: string): Observable<SwitchTenantResponse> {
    return this.http.post<SwitchTenantResponse>(this.config.url('/api/v1/tenant/switch'), {
      tenantId,
    });
  }

  getConfig(): Observable<TenantConfig> {
    return this.http.get<TenantConfig>(this.config.url('/api/v1/tenant/config'));
  }

  putConfig(body: UpdateTenantConfigRequest): Observable<TenantConfig> {
    return this.http.put<TenantConfig>(this.config.url('/api/v1/tenant/config'), body);
  }
}
