import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Call,
  CallDirection,
  CallStats,
  CallStatsQuery,
  CallSort,
  CallStatus,
  CallSummary,
  CountedPage,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

export interface CallQuery {
  status?: CallStatus | '';
  direction?: CallDirection | '';
  agentId?: string;
  leadId?: string;
  from?: string;
  to?: string;
  sort?: CallSort;
  cursor?: string | null;
  limit?: number;
}

@Injectable({ providedIn: 'root' })
export class CallsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(query: CallQuery = {}): Observable<CountedPage<CallSummary>> {
    return this.http.get<CountedPage<CallSummary>>(this.config.url('/api/v1/calls'), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  /** Errors are the caller's to show (its page shows them in place of the call). */
  get(id: string): Observable<Call> {
    return this.http.get<Call>(this.config.url(`/api/v1/calls/${id}`), shownInline());
  }

  /** groupBy agentVersion adds the figures per agent version and the versions saved in the range. */
  stats(
    from?: string,
    to?: string,
    opts: { agentId?: string; groupBy?: CallStatsQuery['groupBy'] } = {},
  ): Observable<CallStats> {
    return this.http.get<CallStats>(this.config.url('/api/v1/calls/stats'), {
      params: toParams({ from, to, ...opts }),
    });
  }
}
