import { Injectable, inject } from '@angular/core';
import { AgentDirectory } from './agent-directory';
import { AuthApi } from './api/auth.api';
import { TenantsApi } from './api/tenants.api';
import { AuthStore } from './auth.store';
import { WorkspaceZone } from './workspace-zone';

/**
 * What every signed-in screen needs besides its own data: the role and memberships as they are
 * now (they may have changed since the token was stored), the workspace's time zone and its
 * agents' names. Asked once per token, at startup (beside the page's code and its own requests,
 * not after the shell has rendered) and after each workspace switch. Nothing waits for it: the
 * API checks every request, and a 401 here sends the user to sign in (auth interceptor).
 */
@Injectable({ providedIn: 'root' })
export class SessionSync {
  private readonly auth = inject(AuthStore);
  private readonly authApi = inject(AuthApi);
  private readonly tenantsApi = inject(TenantsApi);
  private readonly zone = inject(WorkspaceZone);
  private readonly directory = inject(AgentDirectory);
  private syncedToken: string | null = null;

  refresh(): void {
    const token = this.auth.token();
    if (!token || !this.auth.isAuthenticated() || token === this.syncedToken) return;
    this.syncedToken = token;
    this.authApi.me().subscribe({ next: (me) => this.auth.applyMe(me), error: () => undefined });
    this.tenantsApi.list().subscribe({
      next: (list) => this.auth.setMemberships(list.data),
      error: () => undefined,
    });
    this.tenantsApi.getConfig().subscribe({
      next: (c) => this.zone.set(c.timezone),
      error: () => undefined, // dates stay in the browser's zone
    });
    this.directory.ensure();
  }
}
