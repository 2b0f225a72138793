import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  InvitationLink,
  InviteMemberRequest,
  Member,
  Page,
  UpdateMemberRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  list(cursor?: string | null): Observable<Page<Member>> {
    return this.http.get<Page<Member>>(this.config.url('/api/v1/users'), {
      params: toParams({ limit: 200, cursor }),
    });
  }

  /** Errors are the caller's to show: the invite form puts them on its fields. */
  invite(body: InviteMemberRequest): Observable<Member> {
    return this.http.post<Member>(this.config.url('/api/v1/users'), body, shownInline());
  }

  update(id: string, body: UpdateMemberRequest): Observable<Member> {
    return this.http.patch<Member>(this.config.url(`/api/v1/users/${id}`), body);
  }

  /** A new link for a pending invitation; the old one stops working. */
  /** A new link for a pending invitation, answered instead of mailed (the old one stops working). */
  invitationLink(id: string): Observable<InvitationLink> {
    return this.http.post<InvitationLink>(
      this.config.url(`/api/v1/users/${id}/invitation/link`),
      {},
    );
  }

  resendInvitation(id: string): Observable<Member> {
    return this.http.post<Member>(this.config.url(`/api/v1/users/${id}/invitation/resend`), {});
  }

  /** Withdraws a pending invitation (409 when it was accepted meanwhile). */
  revokeInvitation(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/users/${id}/invitation`));
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(this.config.url(`/api/v1/users/${id}`));
  }
}
