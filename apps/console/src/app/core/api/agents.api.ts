import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Agent,
  AgentSort,
  AgentStatus,
  AgentVersion,
  AgentVersionDetail,
  CountedPage,
  CreateAgentInput,
  Page,
  UpdateAgentRequest,
} from '@acc/contracts';
import { Observable, expand, reduce, EMPTY } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

export interface AgentQuery {
  status?: AgentStatus | '';
  /** exclude: all but the archived agents */
  archived?: 'include' | 'exclude';
  q?: string;
  sort?: AgentSort;
  cursor?: string | null;
  limit?: number;
}

@Injectable({ providedIn: 'root' })
export class AgentsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(query: AgentQuery = {}): Observable<CountedPage<Agent>> {
    return this.http.get<CountedPage<Agent>>(this.config.url('/api/v1/agents'), {
      params: toParams({ limit: 50, ...query }),
    });
  }

  /** Every agent (for pickers and name look-ups), following the cursor to the end. */
  all(): Observable<Agent[]> {
    return this.list({ limit: 200 }).pipe(
      expand((page) =>
        page.nextCursor ? this.list({ limit: 200, cursor: page.nextCursor }) : EMPTY,
      ),
      reduce((acc, page) => acc.concat(page.data), [] as Agent[]),
    );
  }

  /** Errors are the caller's to show (its page shows them in place of the agent). */
  get(id: string): Observable<Agent> {
    return this.http.get<Agent>(this.config.url(`/api/v1/agents/${id}`), shownInline());
  }

  /** Errors are the caller's to show: the form puts them on its fields. */
  create(body: CreateAgentInput): Observable<Agent> {
    return this.http.post<Agent>(this.config.url('/api/v1/agents'), body, shownInline());
  }

  /** `inline`: the caller (a form) shows the errors; else a snackbar does. */
  update(id: string, body: UpdateAgentRequest, opts: { inline?: boolean } = {}): Observable<Agent> {
    return this.http.patch<Agent>(
      this.config.url(`/api/v1/agents/${id}`),
      body,
      opts.inline ? shownInline() : {},
    );
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/agents/${id}`));
  }

  /** An agent's versions, newest first (every page), each with its changes from the one before. */
  versions(id: string): Observable<AgentVersion[]> {
    const page = (cursor?: string) =>
      this.http.get<Page<AgentVersion>>(this.config.url(`/api/v1/agents/${id}/versions`), {
        ...shownInline(),
        params: toParams({ limit: 200, cursor }),
      });
    return page().pipe(
      expand((p) => (p.nextCursor ? page(p.nextCursor) : EMPTY)),
      reduce((acc, p) => acc.concat(p.data), [] as AgentVersion[]),
    );
  }

  /** Version n's configuration again, as a new version (answered). */
  restoreVersion(id: string, version: number): Observable<AgentVersionDetail> {
    return this.http.post<AgentVersionDetail>(
      this.config.url(`/api/v1/agents/${id}/versions/${version}/restore`),
      {},
    );
  }
}
