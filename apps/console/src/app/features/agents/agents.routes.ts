import { Route } from '@angular/router';
import { roleGuard } from '../../core/guards';

export default [
  {
    path: '',
    title: 'Agents',
    loadComponent: () => import('./agents-list.page').then((m) => m.AgentsListPage),
  },
  {
    path: 'new',
    title: 'New agent',
    canActivate: [roleGuard('member')],
    loadComponent: () => import('./agent-form.page').then((m) => m.AgentFormPage),
  },
  {
    path: ':id',
    title: 'Agent',
    loadComponent: () => import('./agent-form.page').then((m) => m.AgentFormPage),
  },
] satisfies Route[];
