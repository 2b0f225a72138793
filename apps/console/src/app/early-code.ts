import { SESSION_KEY } from './core/auth.store';

/**
 * The code of the screen being opened, asked for at startup (issue 15 item 7). Left to the
 * router, it comes in waves: the screens' routes once the runtime config has arrived and the app
 * has started, then the shell and the feature's routes, then the page, each chunk only once the
 * one importing it has arrived. Asked for here, all of it loads beside the app's own startup; the
 * router then finds the modules loaded (a module is fetched and run once, whoever imports it).
 * Only a guess from the URL: a wrong one costs a download, never a wrong screen.
 */
type Load = () => Promise<unknown>;
const PAGES: Record<string, { routes?: Load; list: Load; detail?: Load }> = {
  dashboard: { list: () => import('./features/dashboard/dashboard.page') },
  leads: {
    routes: () => import('./features/leads/leads.routes'),
    list: () => import('./features/leads/leads-list.page'),
    detail: () => import('./features/leads/lead-detail.page'),
  },
  calls: {
    routes: () => import('./features/calls/calls.routes'),
    list: () => import('./features/calls/calls-list.page'),
    detail: () => import('./features/calls/call-detail.page'),
  },
  agents: {
    routes: () => import('./features/agents/agents.routes'),
    list: () => import('./features/agents/agents-list.page'),
    detail: () => import('./features/agents/agent-form.page'),
  },
  campaigns: {
    routes: () => import('./features/campaigns/campaigns.routes'),
    list: () => import('./features/campaigns/campaigns-list.page'),
  },
};

export function loadScreenCode(path: string): void {
  const ignore = () => undefined; // a chunk that fails to load: the router says so when it asks
  void import('./screens.routes').catch(ignore);
  if (!signedIn()) return;
  void import('./features/shell/shell').catch(ignore);
  const [first = 'dashboard', second] = path.split('/').filter(Boolean);
  const page = PAGES[first];
  void page?.routes?.().catch(ignore);
  void (second ? page?.detail : page?.list)?.().catch(ignore);
}

function signedIn(): boolean {
  try {
    return localStorage.getItem(SESSION_KEY) !== null;
  } catch {
    return false;
  }
}
