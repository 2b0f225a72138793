import { Route } from '@angular/router';
import { provideNativeDateAdapter } from '@angular/material/core';
import { authGuard, guestGuard, roleGuard } from './core/guards';
import { unsavedChangesGuard } from './core/unsaved-changes';

/**
 * Every screen, behind one lazy boundary: Material's providers live here so that none of
 * Material is in the initial bundle (except the form-field defaults: see app.config.ts).
 */
export default [
  {
    path: '',
    providers: [provideNativeDateAdapter()],
    // One question before any move between screens drops unsaved edits, wherever they are.
    canActivateChild: [unsavedChangesGuard],
    children: [
      {
        path: 'login',
        title: 'Sign in',
        canActivate: [guestGuard],
        loadComponent: () => import('./features/auth/login.page').then((m) => m.LoginPage),
      },
      {
        path: 'signup',
        title: 'Create your workspace',
        canActivate: [guestGuard],
        loadComponent: () => import('./features/auth/signup.page').then((m) => m.SignupPage),
      },
      {
        path: 'forgot-password',
        title: 'Forgot password',
        loadComponent: () =>
          import('./features/auth/forgot-password.page').then((m) => m.ForgotPasswordPage),
      },
      {
        path: 'reset-password',
        title: 'Choose a new password',
        loadComponent: () =>
          import('./features/auth/set-password.page').then((m) => m.SetPasswordPage),
      },
      {
        // signed in or not: the link signs in as its invitee
        path: 'accept-invite',
        title: 'Your invitation',
        loadComponent: () =>
          import('./features/auth/accept-invite.page').then((m) => m.AcceptInvitePage),
      },
      {
        path: '',
        canActivate: [authGuard],
        loadComponent: () => import('./features/shell/shell').then((m) => m.Shell),
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
          {
            path: 'dashboard',
            title: 'Dashboard',
            loadComponent: () =>
              import('./features/dashboard/dashboard.page').then((m) => m.DashboardPage),
          },
          { path: 'agents', loadChildren: () => import('./features/agents/agents.routes') },
          { path: 'leads', loadChildren: () => import('./features/leads/leads.routes') },
          { path: 'calls', loadChildren: () => import('./features/calls/calls.routes') },
          {
            path: 'campaigns',
            loadChildren: () => import('./features/campaigns/campaigns.routes'),
          },
          {
            path: 'team',
            title: 'Team',
            canActivate: [roleGuard('admin')],
            loadComponent: () => import('./features/team/team.page').then((m) => m.TeamPage),
          },
          {
            path: 'settings/webhooks',
            title: 'Webhooks',
            canActivate: [roleGuard('admin')],
            loadComponent: () =>
              import('./features/settings/webhooks.page').then((m) => m.WebhooksPage),
          },
          {
            path: 'settings/audit',
            title: 'Audit log',
            canActivate: [roleGuard('admin')],
            loadComponent: () =>
              import('./features/settings/audit-log.page').then((m) => m.AuditLogPage),
          },
          {
            path: 'settings',
            title: 'Settings',
            canActivate: [roleGuard('admin')],
            loadComponent: () =>
              import('./features/settings/settings.page').then((m) => m.SettingsPage),
          },
          {
            path: '**',
            title: 'Not found',
            loadComponent: () =>
              import('./features/shell/not-found.page').then((m) => m.NotFoundPage),
          },
        ],
      },
    ],
  },
] satisfies Route[];
