import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type {
  AcceptInvitationResponse,
  Role,
  SwitchTenantResponse,
  TenantMembership,
} from '@acc/contracts';
import { filter, map } from 'rxjs';
import { AuthApi } from '../../core/api/auth.api';
import { TenantsApi } from '../../core/api/tenants.api';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { hasRole } from '../../core/roles';
import { RuntimeConfig } from '../../core/runtime-config';
import { ThemeService } from '../../core/theme';
import { FORM_DIALOG, UnsavedChanges } from '../../core/unsaved-changes';
import { WorkspaceZone } from '../../core/workspace-zone';
import { Icon } from '../../shared/icon';
import { IconName } from '../../shared/icons';
import { StatusChip } from '../../shared/status-chip';
import { CreateWorkspaceDialog } from './create-workspace.dialog';
import { PendingInvitations } from './pending-invitations';

interface NavItem {
  path: string;
  label: string;
  icon: IconName;
  role: Role;
}

const NAV: NavItem[] = [
  { path: '/dashboard', label: 'Dashboard', icon: 'dashboard', role: 'viewer' },
  { path: '/agents', label: 'Agents', icon: 'agent', role: 'viewer' },
  { path: '/leads', label: 'Leads', icon: 'leads', role: 'viewer' },
  { path: '/calls', label: 'Calls', icon: 'phone', role: 'viewer' },
  { path: '/campaigns', label: 'Campaigns', icon: 'playCircle', role: 'viewer' },
  { path: '/team', label: 'Team', icon: 'group', role: 'admin' },
  { path: '/settings', label: 'Settings', icon: 'settings', role: 'admin' },
];

@Component({
  selector: 'app-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatSidenavModule,
    MatToolbarModule,
    MatListModule,
    MatButtonModule,
    MatMenuModule,
    MatDividerModule,
    MatTooltipModule,
    Icon,
    StatusChip,
    PendingInvitations,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  protected readonly auth = inject(AuthStore);
  protected readonly theme = inject(ThemeService);
  protected readonly config = inject(RuntimeConfig);
  private readonly authApi = inject(AuthApi);
  private readonly tenantsApi = inject(TenantsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly unsaved = inject(UnsavedChanges);
  private readonly dialog = inject(MatDialog);

  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );
  protected readonly navOpen = signal(false);
  private readonly workspaceZone = inject(WorkspaceZone);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  protected readonly switching = signal(false);
  protected readonly nav = computed(() => NAV.filter((n) => hasRole(this.auth.role(), n.role)));
  protected readonly initials = computed(() => {
    const name = this.auth.user()?.fullName ?? this.auth.user()?.email ?? '?';
    return name
      .split(/[\s@.]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((p) => p[0]?.toUpperCase())
      .join('');
  });
  /** Says what the button shows (the initials) and whose account it opens. */
  protected readonly accountLabel = computed(
    () => `${this.initials()}: account menu of ${this.auth.user()?.fullName ?? 'this user'}`,
  );
  protected readonly otherTenants = computed(() =>
    this.auth.memberships().filter((m) => m.tenant.id !== this.auth.tenant()?.id),
  );

  constructor() {
    this.router.events
      .pipe(filter((e) => e instanceof NavigationEnd))
      .subscribe(() => this.navOpen.set(false));
    this.refresh();
    // dates are shown in the workspace's zone: loaded on entering each workspace
    effect(() => {
      this.auth.tenantEpoch();
      untracked(() =>
        this.tenantsApi.getConfig().subscribe({
          next: (c) => this.workspaceZone.set(c.timezone),
          error: () => undefined, // dates stay in the browser's zone
        }),
      );
    });
  }

  /** Role and memberships may have changed since the token was stored. */
  private refresh(): void {
    this.authApi.me().subscribe({ next: (me) => this.auth.applyMe(me), error: () => undefined });
    this.tenantsApi.list().subscribe({
      next: (list) => this.auth.setMemberships(list.data),
      error: () => undefined,
    });
  }

  /**
   * Moves focus (not just the scroll) to the page, so the next Tab starts there. The href would
   * resolve against <base href> and navigate away.
   */
  protected skipToMain(e: Event): void {
    e.preventDefault();
    this.main().nativeElement.focus();
  }

  /** The page is rebuilt for the other workspace: unsaved edits are asked about first. */
  protected switchTo(m: TenantMembership): void {
    if (this.switching()) return;
    this.unsaved.confirmLeave().subscribe((ok) => ok && this.switchNow(m));
  }

  private switchNow(m: TenantMembership): void {
    this.switching.set(true);
    this.tenantsApi.switch(m.tenant.id).subscribe({
      next: (res) => {
        this.switching.set(false);
        // Detail pages belong to the old tenant: go back to the section's list.
        const section = this.router.url.split(/[/?#]/)[1] || 'dashboard';
        const allowed = NAV.find((n) => n.path === '/' + section);
        const target = allowed && hasRole(res.role, allowed.role) ? '/' + section : '/dashboard';
        this.auth.applySwitch(res);
        void this.router.navigateByUrl(target);
        this.notifier.success(`Switched to ${res.tenant.name}`);
        this.refresh();
      },
      error: () => this.switching.set(false),
    });
  }

  /** A new workspace of the user's own, entered as a switch enters one (unsaved edits asked first). */
  protected createWorkspace(): void {
    this.unsaved.confirmLeave().subscribe((ok) => {
      if (!ok) return;
      this.dialog
        .open<CreateWorkspaceDialog, unknown, SwitchTenantResponse>(CreateWorkspaceDialog, {
          ...FORM_DIALOG,
          width: '440px',
          maxWidth: '95vw',
        })
        .afterClosed()
        .subscribe((res) => {
          if (!res) return;
          this.auth.applySwitch(res);
          void this.router.navigateByUrl('/dashboard');
          this.notifier.success(`Created ${res.tenant.name}: you are its owner`);
          this.refresh();
        });
    });
  }

  /** An invitation accepted from the banner: its answer is a token for the workspace joined. */
  protected joined(res: AcceptInvitationResponse): void {
    this.auth.applySwitch(res);
    void this.router.navigateByUrl('/dashboard');
    this.notifier.success(`You joined ${res.tenant.name}`);
    this.refresh();
  }

  protected signOut(): void {
    this.unsaved.confirmLeave().subscribe((ok) => {
      if (!ok) return;
      this.auth.clear();
      void this.router.navigateByUrl('/login');
    });
  }
}
