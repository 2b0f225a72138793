import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Call,
  CallNowRequest,
  DialerSettings,
  UpdateDialerRequest,
  UpdatedDialer,
  Campaign,
  CampaignLead,
  CampaignLeadState,
  CampaignStatus,
  CreateCampaignRequest,
  DncEntry,
  DncImportResult,
  Eligibility,
  Page,
  UpdateCampaignRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** Campaigns, their leads, a lead's eligibility, and the do-not-call list. */
@Injectable({ providedIn: 'root' })
export class CampaignsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(
    query: { status?: CampaignStatus | ''; cursor?: string | null } = {},
  ): Observable<Page<Campaign>> {
    return this.http.get<Page<Campaign>>(this.config.url('/api/v1/campaigns'), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  /** Errors are the caller's to show (the page shows them in place of the campaign). */
  get(id: string): Observable<Campaign> {
    return this.http.get<Campaign>(this.config.url(`/api/v1/campaigns/${id}`), shownInline());
  }

  /** The form shows what is wrong with it. */
  create(body: CreateCampaignRequest): Observable<Campaign> {
    return this.http.post<Campaign>(this.config.url('/api/v1/campaigns'), body, shownInline());
  }

  update(id: string, body: UpdateCampaignRequest): Observable<Campaign> {
    return this.http.patch<Campaign>(this.config.url(`/api/v1/campaigns/${id}`), body);
  }

  act(id: string, action: CampaignAction): Observable<Campaign> {
    return this.http.post<Campaign>(this.config.url(`/api/v1/campaigns/${id}/${action}`), {});
  }

  leads(
    id: string,
    query: { state?: CampaignLeadState | ''; cursor?: string | null } = {},
  ): Observable<Page<CampaignLead>> {
    return this.http.get<Page<CampaignLead>>(this.config.url(`/api/v1/campaigns/${id}/leads`), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  eligibility(leadId: string, campaignId?: string): Observable<Eligibility> {
    return this.http.get<Eligibility>(this.config.url(`/api/v1/leads/${leadId}/eligibility`), {
      ...shownInline(),
      params: toParams({ campaignId }),
    });
  }

  dnc(query: { q?: string; cursor?: string | null } = {}): Observable<Page<DncEntry>> {
    return this.http.get<Page<DncEntry>>(this.config.url('/api/v1/dnc'), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  /** The form shows what is wrong with the number. */
  addDnc(body: { phone: string; reason?: string | null }): Observable<DncEntry> {
    return this.http.post<DncEntry>(this.config.url('/api/v1/dnc'), body, shownInline());
  }

  removeDnc(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/dnc/${id}`));
  }

  importDnc(file: File): Observable<DncImportResult> {
    const form = new FormData();
    form.append('file', file);
    return this.http.post<DncImportResult>(this.config.url('/api/v1/dnc/import'), form);
  }

  /** 202 with the queued call; a 409 lists why not (shown by the caller). */
  callNow(leadId: string, body: CallNowRequest): Observable<Call> {
    return this.http.post<Call>(
      this.config.url(`/api/v1/leads/${leadId}/call`),
      body,
      shownInline(),
    );
  }

  dialer(): Observable<DialerSettings> {
    return this.http.get<DialerSettings>(this.config.url('/api/v1/tenant/dialer'));
  }

  /** The answer carries the webhook dialer's signing secret when one was just made. */
  putDialer(body: UpdateDialerRequest): Observable<UpdatedDialer> {
    return this.http.put<UpdatedDialer>(
      this.config.url('/api/v1/tenant/dialer'),
      body,
      shownInline(),
    );
  }
}
