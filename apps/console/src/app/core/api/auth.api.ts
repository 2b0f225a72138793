import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuthResponse,
  ForgotPasswordRequest,
  LoginRequest,
  MeResponse,
  ResetPasswordRequest,
  SignupRequest,
} from '@acc/contracts';
import { Observable } from 'rxjs';
import { SILENT_ERRORS } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import type { SessionInput } from '../auth.store';

/** Forms show these errors inline instead of in a snackbar. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  login(body: LoginRequest): Observable<AuthResponse> {
    return this.http.post<AuthResponse>(this.config.url('/api/v1/auth/login'), body, inline());
  }

  signup(body: SignupRequest): Observable<SessionInput> {
    return this.http.post<SessionInput>(this.config.url('/api/v1/auth/signup'), body, inline());
  }

  forgotPassword(body: ForgotPasswordRequest): Observable<void> {
    return this.http.post<void>(this.config.url('/api/v1/auth/forgot-password'), body, inline());
  }

  /** Also accepts invitation tokens: accepting an invite is setting a first password. */
  resetPassword(body: ResetPasswordRequest): Observable<void> {
    return this.http.post<void>(this.config.url('/api/v1/auth/reset-password'), body, inline());
  }

  me(): Observable<MeResponse> {
    return this.http.get<MeResponse>(this.config.url('/api/v1/auth/me'));
  }
}
