import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AcceptInvitationResponse,
  AcceptInviteRequest,
  AcceptInviteResponse,
  InvitationList,
  LinkedInvitation,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { toParams } from './params';

/** The invitee's side: pending invitations when signed in, and the mailed link when not. */
@Injectable({ providedIn: 'root' })
export class InvitationsApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  /** The caller's pending invitations (a person has few: one page of 200). */
  mine(): Observable<InvitationList> {
    return this.http.get<InvitationList>(this.config.url('/api/v1/invitations'), {
      params: toParams({ limit: 200 }),
    });
  }

  accept(id: string): Observable<AcceptInvitationResponse> {
    return this.http.post<AcceptInvitationResponse>(
      this.config.url(`/api/v1/invitations/${id}/accept`),
      {},
    );
  }

  decline(id: string): Observable<void> {
    return this.http.post<void>(this.config.url(`/api/v1/invitations/${id}/decline`), {});
  }

  /** What a mailed link stands for; its token travels in the body, never in a URL. */
  preview(token: string): Observable<LinkedInvitation> {
    return this.http.post<LinkedInvitation>(
      this.config.url('/api/v1/auth/invitation'),
      { token },
      shownInline(),
    );
  }

  acceptLink(body: AcceptInviteRequest): Observable<AcceptInviteResponse> {
    return this.http.post<AcceptInviteResponse>(
      this.config.url('/api/v1/auth/accept-invite'),
      body,
      shownInline(),
    );
  }

  declineLink(token: string): Observable<void> {
    return this.http.post<void>(
      this.config.url('/api/v1/auth/decline-invite'),
      { token },
      shownInline(),
    );
  }
}
