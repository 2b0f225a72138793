import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuditEventFilter, AuditEventPage } from '@acc/contracts';
import { Observable } from 'rxjs';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

/** The workspace's audit log (admin+). */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(
    filter: AuditEventFilter & { cursor?: string | null; limit?: number },
  ): Observable<AuditEventPage> {
    return this.http.get<AuditEventPage>(this.config.url('/api/v1/audit-events'), {
      params: toParams({ limit: 50, ...filter }),
    });
  }

  /** The filtered events as CSV (the export is itself recorded). */
  exportCsv(filter: AuditEventFilter): Observable<Blob> {
    return this.http.get(this.config.url('/api/v1/audit-events/export'), {
      params: toParams(filter),
      responseType: 'blob',
    });
  }
}
