import { Route } from '@angular/router';

export default [
  {
    path: '',
    title: 'Calls',
    loadComponent: () => import('./calls-list.page').then((m) => m.CallsListPage),
  },
  {
    path: ':id',
    title: 'Call',
    loadComponent: () => import('./call-detail.page').then((m) => m.CallDetailPage),
  },
] satisfies Route[];
