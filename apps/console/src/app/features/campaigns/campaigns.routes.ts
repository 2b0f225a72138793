import { Route } from '@angular/router';
import { roleGuard } from '../../core/guards';

export default [
  {
    path: '',
    title: 'Campaigns',
    loadComponent: () => import('./campaigns-list.page').then((m) => m.CampaignsListPage),
  },
  {
    path: 'new',
    title: 'New campaign',
    canActivate: [roleGuard('member')],
    loadComponent: () => import('./campaign-form.page').then((m) => m.CampaignFormPage),
  },
  {
    path: ':id',
    title: 'Campaign',
    loadComponent: () => import('./campaign-detail.page').then((m) => m.CampaignDetailPage),
  },
] satisfies Route[];
