import { Route } from '@angular/router';

export default [
  {
    path: '',
    title: 'Leads',
    loadComponent: () => import('./leads-list.page').then((m) => m.LeadsListPage),
  },
  {
    path: ':id',
    title: 'Lead',
    loadComponent: () => import('./lead-detail.page').then((m) => m.LeadDetailPage),
  },
] satisfies Route[];
