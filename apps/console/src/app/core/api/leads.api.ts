import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CountedPage,
  CreateLeadInput,
  ImportResult,
  Lead,
  LeadSort,
  LeadStatus,
  UpdateLeadRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

/** The list's filters; an empty value means "no filter". */
export interface LeadFilters {
  status?: LeadStatus | '';
  agentId?: string;
  tag?: string;
  q?: string;
}

export interface LeadQuery extends LeadFilters {
  sort?: LeadSort;
  cursor?: string | null;
  limit?: number;
}

@Injectable({ providedIn: 'root' })
export class LeadsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(query: LeadQuery = {}): Observable<CountedPage<Lead>> {
    return this.http.get<CountedPage<Lead>>(this.config.url('/api/v1/leads'), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  /** Errors are the caller's to show (the lead page shows them in place of the lead). */
  get(id: string): Observable<Lead> {
    return this.http.get<Lead>(this.config.url(`/api/v1/leads/${id}`), shownInline());
  }

  /** Errors are the caller's to show: the form puts them on its fields. */
  create(body: CreateLeadInput): Observable<Lead> {
    return this.http.post<Lead>(this.config.url('/api/v1/leads'), body, shownInline());
  }

  /** `inline`: the caller (a form) shows the errors; else a snackbar does. */
  update(id: string, body: UpdateLeadRequest, opts: { inline?: boolean } = {}): Observable<Lead> {
    return this.http.patch<Lead>(
      this.config.url(`/api/v1/leads/${id}`),
      body,
      opts.inline ? shownInline() : {},
    );
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/leads/${id}`));
  }

  /** Multipart upload of a CSV file (field `file`). The import dialog shows the errors. */
  importFile(file: Blob, name = 'leads.csv'): Observable<ImportResult> {
    const form = new FormData();
    form.append('file', file, name);
    return this.http.post<ImportResult>(
      this.config.url('/api/v1/leads/import'),
      form,
      shownInline(),
    );
  }

  /** Pasted CSV text as a text/csv body. The import dialog shows the errors. */
  importText(csv: string): Observable<ImportResult> {
    return this.http.post<ImportResult>(this.config.url('/api/v1/leads/import'), csv, {
      ...shownInline(),
      headers: { 'Content-Type': 'text/csv' },
    });
  }

  /** The CSV export of the leads matching `filters`, as a blob (fetched with the token, unlike a plain link). */
  exportCsv(filters: LeadFilters = {}): Observable<Blob> {
    return this.http.get(this.config.url('/api/v1/leads/export'), {
      params: toParams(filters),
      responseType: 'blob',
    });
  }
}
