import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuthResponse,
  ForgotPasswordRequest,
  LoginRequest,
  MeResponse,
  ResetLink,
  ResetPasswordRequest,
  SignupRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { shownInline } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import type { SessionInput } from '../auth.store';

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  login(body: LoginRequest): Observable<AuthResponse> {
    return this.http.post<AuthResponse>(this.config.url('/api/v1/auth/login'), body, shownInline());
  }

  signup(body: SignupRequest): Observable<SessionInput> {
    return this.http.post<SessionInput>(
      this.config.url('/api/v1/auth/signup'),
      body,
      shownInline(),
    );
  }

  forgotPassword(body: ForgotPasswordRequest): Observable<void> {
    return this.http.post<void>(
      this.config.url('/api/v1/auth/forgot-password'),
      body,
      shownInline(),
    );
  }

  /** A mailed reset link; invitation links go through InvitationsApi. */
  /** Whether a mailed reset link still works (spends nothing); the page shows a refusal itself. */
  checkResetLink(token: string): Observable<ResetLink> {
    return this.http.post<ResetLink>(
      this.config.url('/api/v1/auth/reset-password/check'),
      { token },
      shownInline(),
    );
  }

  resetPassword(body: ResetPasswordRequest): Observable<void> {
    return this.http.post<void>(
      this.config.url('/api/v1/auth/reset-password'),
      body,
      shownInline(),
    );
  }

  me(): Observable<MeResponse> {
    return this.http.get<MeResponse>(this.config.url('/api/v1/auth/me'));
  }
}
